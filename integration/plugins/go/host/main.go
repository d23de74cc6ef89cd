// A go-plugin 1.0.1 host (Debian) that drives a confd plugin, to prove our plugins
// work under Go hosts. Usage:
//
//	host [-automtls] -config '{"yamlFile":"/x.yaml"}' -keys /a,/b [-watch /a] -- <plugin command...>
//
// It prints one line per step on stdout: VALUES <json>, then WATCHING, then EVENT
// (or WATCH UNIMPLEMENTED), and exits 0; errors go to stderr with exit 1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"confdtest/proto"
	"confdtest/shared"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	configJSON := flag.String("config", "{}", "Configure map as JSON")
	keys := flag.String("keys", "/", "comma-separated keys for GetValues")
	watch := flag.String("watch", "", "prefix to watch for one event")
	timeout := flag.Duration("timeout", 20*time.Second, "how long to wait for a watch event")
	autoMTLS := flag.Bool("automtls", false, "negotiate mutual TLS with the plugin (go-plugin AutoMTLS)")
	flag.Parse()
	if flag.NArg() == 0 {
		fail("usage: host [flags] -- <plugin command>")
	}

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		Plugins:          shared.PluginMap(nil),
		Cmd:              exec.Command(flag.Arg(0), flag.Args()[1:]...),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         *autoMTLS,
	})
	defer client.Kill()

	rpcClient, err := client.Client()
	if err != nil {
		fail("connect: %v", err)
	}
	raw, err := rpcClient.Dispense("database")
	if err != nil {
		fail("dispense: %v", err)
	}
	db := raw.(proto.DatabaseClient)
	ctx := context.Background()

	config := map[string]string{}
	if err := json.Unmarshal([]byte(*configJSON), &config); err != nil {
		fail("bad -config: %v", err)
	}
	if _, err := db.Configure(ctx, &proto.ConfigureRequest{Config: config}); err != nil {
		fail("Configure: %v", err)
	}
	resp, err := db.GetValues(ctx, &proto.GetValuesRequest{Keys: strings.Split(*keys, ",")})
	if err != nil {
		fail("GetValues: %v", err)
	}
	out, _ := json.Marshal(resp.Values)
	fmt.Printf("VALUES %s\n", out)

	if *watch != "" {
		wctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		stream, err := db.WatchPrefix(wctx, &proto.WatchPrefixRequest{Prefix: *watch})
		if err != nil {
			fail("WatchPrefix: %v", err)
		}
		fmt.Println("WATCHING")
		if _, err := stream.Recv(); err != nil {
			if status.Code(err) == codes.Unimplemented {
				fmt.Println("WATCH UNIMPLEMENTED")
			} else {
				fail("WatchPrefix recv: %v", err)
			}
		} else {
			fmt.Println("EVENT")
		}
	}
	client.Kill()
}
