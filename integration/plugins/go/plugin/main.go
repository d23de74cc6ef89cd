// A confd database plugin written in Go against hashicorp/go-plugin 1.0.1 (Debian).
// Values come from a JSON file named by the `dataFile` Configure key; watching polls
// the file. Build: see integration/helpers/go-build.ts.
//
// For tests, GetValues on the prefix /_proc reports what the process sees of itself:
// /_proc/uid, /_proc/gid, /_proc/groups, /_proc/fds (descriptors open when main
// started, as fd or fd:target for those beyond stdio), /_proc/env/<NAME>, /_proc/socketdir (owner uid and mode of
// PLUGIN_UNIX_SOCKET_DIR), and /_proc/tls (whether the host's connection is TLS,
// with /_proc/client_cn). CONFD_GOTEST_LEGACY_HANDSHAKE=1 makes it print the handshake
// of a pre-1.0 go-plugin server (the confd plugin draft's): field 6 is base64 JSON of
// its stdio config, and it ignores AutoMTLS.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"confdtest/proto"
	"confdtest/shared"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/peer"
)

// What a pre-1.0 go-plugin gRPC server put in field 6: base64 of {"stdout_addr":"","stderr_addr":""}\n.
const legacyField6 = "eyJzdGRvdXRfYWRkciI6IiIsInN0ZGVycl9hZGRyIjoiIn0K"

// fdsAtStart lists the descriptors the process inherited (read before anything else opens one).
var fdsAtStart = func() string {
	names, _ := ioutil.ReadDir("/proc/self/fd")
	fds := []int{}
	for _, entry := range names {
		fd, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		// The directory handle ReadDir itself opened points back into /proc.
		if target, _ := os.Readlink("/proc/self/fd/" + entry.Name()); strings.HasPrefix(target, "/proc/") {
			continue
		}
		fds = append(fds, fd)
	}
	sort.Ints(fds)
	parts := []string{}
	for _, fd := range fds {
		if fd <= 2 {
			parts = append(parts, strconv.Itoa(fd))
			continue
		}
		target, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
		parts = append(parts, strconv.Itoa(fd)+":"+target)
	}
	return strings.Join(parts, ",")
}()

func introspect(ctx context.Context) map[string]string {
	out := map[string]string{
		"/_proc/uid": strconv.Itoa(os.Getuid()),
		"/_proc/gid": strconv.Itoa(os.Getgid()),
		"/_proc/fds": fdsAtStart,
		"/_proc/tls": "false",
	}
	groups, _ := os.Getgroups()
	names := []string{}
	for _, g := range groups {
		names = append(names, strconv.Itoa(g))
	}
	out["/_proc/groups"] = strings.Join(names, ",")
	if info, err := os.Stat(os.Getenv("PLUGIN_UNIX_SOCKET_DIR")); err == nil {
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			out["/_proc/socketdir"] = fmt.Sprintf("%d:%o", st.Uid, info.Mode().Perm())
		}
	}
	for _, kv := range os.Environ() {
		if i := strings.Index(kv, "="); i > 0 {
			out["/_proc/env/"+kv[:i]] = kv[i+1:]
		}
	}
	if p, ok := peer.FromContext(ctx); ok {
		if info, ok := p.AuthInfo.(credentials.TLSInfo); ok {
			out["/_proc/tls"] = "true"
			if len(info.State.PeerCertificates) > 0 {
				out["/_proc/client_cn"] = info.State.PeerCertificates[0].Subject.CommonName
			}
		}
	}
	return out
}

// printLegacyHandshake rewrites go-plugin 1.0.1's handshake line into the pre-1.0 form.
func printLegacyHandshake() {
	os.Unsetenv("PLUGIN_CLIENT_CERT") // pre-1.0 servers knew nothing of AutoMTLS
	real := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	os.Stdout = w // plugin.Serve prints its line here, then replaces os.Stdout itself
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		parts := strings.Split(strings.TrimSpace(line), "|")
		parts[5] = legacyField6
		fmt.Fprintln(real, strings.Join(parts, "|"))
		real.Sync()
		io.Copy(ioutil.Discard, r)
	}()
}

type database struct {
	mu       sync.Mutex
	dataFile string
}

func (d *database) read() (map[string]string, error) {
	d.mu.Lock()
	path := d.dataFile
	d.mu.Unlock()
	raw, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	err = json.Unmarshal(raw, &values)
	return values, err
}

// under matches by whole path segment: /app matches /app and /app/x, never /application.
func under(key, prefix string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	return prefix == "" || key == prefix || strings.HasPrefix(key, prefix+"/")
}

func pick(values map[string]string, prefixes []string) map[string]string {
	out := map[string]string{}
	for k, v := range values {
		for _, p := range prefixes {
			if under(k, p) {
				out[k] = v
				break
			}
		}
	}
	return out
}

func (d *database) Configure(ctx context.Context, req *proto.ConfigureRequest) (*proto.ConfigureResponse, error) {
	path := req.Config["dataFile"]
	if path == "" {
		return nil, fmt.Errorf("dataFile is required")
	}
	d.mu.Lock()
	d.dataFile = path
	d.mu.Unlock()
	return &proto.ConfigureResponse{}, nil
}

func (d *database) GetValues(ctx context.Context, req *proto.GetValuesRequest) (*proto.GetValuesResponse, error) {
	values, err := d.read()
	if err != nil {
		return nil, err
	}
	for k, v := range introspect(ctx) {
		values[k] = v
	}
	return &proto.GetValuesResponse{Values: pick(values, req.Keys)}, nil
}

func (d *database) WatchPrefix(req *proto.WatchPrefixRequest, stream proto.Database_WatchPrefixServer) error {
	snapshot := func() string {
		values, _ := d.read()
		b, _ := json.Marshal(pick(values, []string{req.Prefix}))
		return string(b)
	}
	last := snapshot()
	for {
		select {
		case <-stream.Context().Done():
			return nil
		case <-time.After(100 * time.Millisecond):
			if now := snapshot(); now != last {
				last = now
				if err := stream.Send(&proto.WatchPrefixResponse{}); err != nil {
					return err
				}
			}
		}
	}
}

func main() {
	if os.Getenv("CONFD_GOTEST_LEGACY_HANDSHAKE") == "1" {
		printLegacyHandshake()
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: shared.Handshake,
		Plugins:         shared.PluginMap(&database{}),
		GRPCServer:      plugin.DefaultGRPCServer,
	})
}
