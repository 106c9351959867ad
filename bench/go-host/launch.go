package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/shared"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// request is one measurement to perform; which fields matter depends on Op.
type request struct {
	Op            string            `json:"op"`
	Plugin        string            `json:"plugin"`
	AutoMTLS      bool              `json:"autoMTLS"`
	Env           map[string]string `json:"env"`
	Calls         int               `json:"calls"`
	Warmup        int               `json:"warmup"`
	InFlight      int               `json:"inFlight"`
	DurationMs    int               `json:"durationMs"`
	Count         int               `json:"count"`
	ClientCertPem string            `json:"clientCertPem"`
}

// callTimeout mirrors the Node greeter client's default deadline, so both sides pay
// for a deadline on every call.
const callTimeout = 10 * time.Second

// startTimeout bounds a launch; the benchmark never expects to get near it.
const startTimeout = 20 * time.Second

// started is a connected plugin together with the phase times of its launch.
type started struct {
	client  *plugin.Client
	greeter *shared.GRPCClient
	// Milliseconds after the start request: handshake line read, connected and
	// health-checked, first Greet answered.
	handshakeMs, connectedMs, firstGreetMs float64
}

// outputCounter stands in for a host's log sinks: it takes the plugin's forwarded
// stdio, as the Node side's sinks do, and only counts it.
type outputCounter struct{ bytes atomic.Int64 }

func (c *outputCounter) Write(p []byte) (int, error) {
	c.bytes.Add(int64(len(p)))
	return len(p), nil
}

var forwarded outputCounter

// newClient configures go-plugin the way a typical host (and our host) does: exec the
// plugin directly, gRPC only, logs parsed at Info and discarded, stdio forwarded.
func newClient(req request) *plugin.Client {
	cmd := exec.Command(req.Plugin)
	for k, v := range req.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		Plugins:          shared.PluginMap,
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         req.AutoMTLS,
		StartTimeout:     startTimeout,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "go-peer", Level: hclog.Info, Output: io.Discard}),
		SyncStdout:       &forwarded,
		SyncStderr:       &forwarded,
	})
}

// startGreeter launches, connects, pings (as our startPlugin does) and greets once.
func startGreeter(req request) (*started, error) {
	t0 := time.Now()
	client := newClient(req)
	s := &started{client: client}
	if _, err := client.Start(); err != nil {
		client.Kill()
		return nil, fmt.Errorf("starting %s: %w", req.Plugin, err)
	}
	s.handshakeMs = msSince(t0)
	rpcClient, err := client.Client()
	if err == nil {
		err = rpcClient.Ping()
	}
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("connecting to %s: %w", req.Plugin, err)
	}
	s.connectedMs = msSince(t0)
	raw, err := rpcClient.Dispense(shared.PluginKey)
	if err != nil {
		client.Kill()
		return nil, err
	}
	s.greeter = raw.(*shared.GRPCClient)
	if _, err := greetOnce(s.greeter, "Alice"); err != nil {
		client.Kill()
		return nil, err
	}
	s.firstGreetMs = msSince(t0)
	return s, nil
}

// greetOnce is one Greet with the same deadline our greeter client sets.
func greetOnce(g *shared.GRPCClient, name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	message, err := g.GreetContext(ctx, name)
	if err != nil {
		return "", fmt.Errorf("Greet: %w", err)
	}
	if message != "hello "+name {
		return "", fmt.Errorf("Greet answered %q, want %q", message, "hello "+name)
	}
	return message, nil
}

// stopTimed is go-plugin's Kill (Shutdown, up to 2 s, then kill), timed until the process is gone.
func stopTimed(client *plugin.Client) float64 {
	t0 := time.Now()
	client.Kill()
	return msSince(t0)
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Nanoseconds()) / 1e6
}
