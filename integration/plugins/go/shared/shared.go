// Package shared holds what a confd plugin and a confd host agree on in Go: the
// handshake (cookie, version 1) and the go-plugin glue for proto.Database.
package shared

import (
	"context"
	"errors"
	"net/rpc"

	"confdtest/proto"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Handshake is confd's plugin handshake (the confd plugin draft's values).
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "CONFD_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "xtanpmnh5nqffr256vnevap59w86p3wmxkfkcp9hx4fzf5frjc3tf3tkcczcatyd",
}

// DatabasePlugin serves and dispenses proto.Database over gRPC only.
type DatabasePlugin struct {
	Impl proto.DatabaseServer
}

func (p *DatabasePlugin) Server(*plugin.MuxBroker) (interface{}, error) {
	return nil, errors.New("confd plugins speak grpc only")
}

func (p *DatabasePlugin) Client(*plugin.MuxBroker, *rpc.Client) (interface{}, error) {
	return nil, errors.New("confd plugins speak grpc only")
}

func (p *DatabasePlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterDatabaseServer(s, p.Impl)
	return nil
}

func (p *DatabasePlugin) GRPCClient(ctx context.Context, broker *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return proto.NewDatabaseClient(c), nil
}

// PluginMap is what both sides register under the name "database".
func PluginMap(impl proto.DatabaseServer) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{"database": &DatabasePlugin{Impl: impl}}
}
