// Command go-host launches a greeter plugin with HashiCorp go-plugin's own client, the
// way the "gRPC Plugins in Go" tutorial's host does, and prints its greetings. It is the
// reference peer for interop tests and benchmarks of plugins written with this project.
//
//	go-host -plugin PATH [-automtls] [-n N] [-log-level LEVEL] NAME
//
// Stdout carries only the greetings, one line per call. Stderr carries go-plugin's
// logs (including the plugin's relayed stderr) and the plugin's stdout/stderr received
// over GRPCStdio. Exit status is 0 on success and 1 on any error.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/greeter-plugins/greeter-plugins/examples/go-greeter/shared"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// options are the parsed command-line arguments.
type options struct {
	pluginPath string
	autoMTLS   bool
	calls      int
	logLevel   string
	name       string
}

func main() {
	opts, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-host:", err)
		os.Exit(1)
	}
	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "go-host:", err)
		os.Exit(1)
	}
}

// parseArgs reads the flags and the single NAME argument.
func parseArgs(args []string) (options, error) {
	var opts options
	fs := flag.NewFlagSet("go-host", flag.ContinueOnError)
	fs.StringVar(&opts.pluginPath, "plugin", "", "path to the plugin executable (required)")
	fs.BoolVar(&opts.autoMTLS, "automtls", false, "negotiate go-plugin AutoMTLS with the plugin")
	fs.IntVar(&opts.calls, "n", 1, "number of Greet calls to make")
	fs.StringVar(&opts.logLevel, "log-level", "trace", "go-plugin host log level on stderr (trace, debug, info, warn, error, off)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go-host -plugin PATH [-automtls] [-n N] [-log-level LEVEL] NAME")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if opts.pluginPath == "" {
		return opts, errors.New("-plugin PATH is required")
	}
	if opts.calls < 1 {
		return opts, fmt.Errorf("-n must be at least 1, got %d", opts.calls)
	}
	if fs.NArg() != 1 {
		return opts, fmt.Errorf("expected exactly one NAME argument, got %d", fs.NArg())
	}
	opts.name = fs.Arg(0)
	return opts, nil
}

// run launches the plugin, greets opts.calls times and always kills the plugin before returning.
func run(opts options) error {
	logger := hclog.New(&hclog.LoggerOptions{
		Name:   "go-host",
		Level:  hclog.LevelFromString(opts.logLevel),
		Output: os.Stderr,
	})

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: shared.Handshake,
		Plugins:         shared.PluginMap,
		// Exec the plugin directly (not via "sh -c") so its pid is the plugin's own.
		Cmd:              exec.Command(opts.pluginPath),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         opts.autoMTLS,
		Logger:           logger,
		// The plugin's stdout/stderr arrive over GRPCStdio; keep stdout for greetings only.
		SyncStdout: os.Stderr,
		SyncStderr: os.Stderr,
	})
	defer client.Kill()
	stopOnSignal(client)

	rpcClient, err := client.Client()
	if err != nil {
		return fmt.Errorf("starting plugin %s: %w", opts.pluginPath, err)
	}
	if err := rpcClient.Ping(); err != nil {
		return fmt.Errorf("pinging plugin: %w", err)
	}
	raw, err := rpcClient.Dispense(shared.PluginKey)
	if err != nil {
		return fmt.Errorf("dispensing %q: %w", shared.PluginKey, err)
	}
	greeter, ok := raw.(*shared.GRPCClient)
	if !ok {
		return fmt.Errorf("dispensed %q is a %T, not a greeter client", shared.PluginKey, raw)
	}

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	started := time.Now()
	for i := 0; i < opts.calls; i++ {
		message, err := greeter.GreetContext(context.Background(), opts.name)
		if err != nil {
			return fmt.Errorf("Greet call %d of %d: %w", i+1, opts.calls, err)
		}
		fmt.Fprintln(out, message)
	}
	if opts.calls > 1 {
		elapsed := time.Since(started)
		logger.Info("calls done", "calls", opts.calls, "elapsed", elapsed.String(),
			"per_call_us", float64(elapsed.Microseconds())/float64(opts.calls))
	}
	return nil
}

// stopOnSignal kills the plugin if the host is interrupted, so no plugin is orphaned.
func stopOnSignal(client *plugin.Client) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		client.Kill()
		fmt.Fprintln(os.Stderr, "go-host: stopped by", sig)
		os.Exit(1)
	}()
}
