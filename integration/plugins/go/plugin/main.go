// A confd database plugin written in Go against hashicorp/go-plugin 1.0.1 (Debian).
// Values come from a JSON file named by the `dataFile` Configure key; watching polls
// the file. Build: see integration/helpers/go-build.ts.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"strings"
	"sync"
	"time"

	"confdtest/proto"
	"confdtest/shared"

	plugin "github.com/hashicorp/go-plugin"
)

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
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: shared.Handshake,
		Plugins:         shared.PluginMap(&database{}),
		GRPCServer:      plugin.DefaultGRPCServer,
	})
}
