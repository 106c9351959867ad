// Command go-peer is the benchmark's reference side: a host built on HashiCorp
// go-plugin's own plugin.NewClient that performs exactly the measurements the Node
// host performs (bench/ours-peer.ts), so bench/run.ts can interleave the two.
//
//	go-peer                                   serve: one JSON request per stdin line,
//	                                          one JSON answer per stdout line
//	go-peer once -plugin PATH [-automtls] NAME   a whole host process: start, greet, stop
//
// Requests and answers are described in bench/protocol.ts. Every plugin a request
// starts is stopped before its answer is written, so no process outlives a request.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

const usage = `Usage:
  go-peer                                      serve bench/protocol.ts requests on stdin (one JSON line each)
  go-peer once -plugin PATH [-automtls] NAME   start the plugin, greet NAME once, stop it, exit`

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help") {
		fmt.Println(usage)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "once" {
		os.Exit(runOnce(os.Args[2:]))
	}
	if err := serve(); err != nil {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		os.Exit(1)
	}
}

// serve answers requests until stdin closes or a "quit" request arrives.
func serve() error {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			return fmt.Errorf("bad request %q: %w", in.Text(), err)
		}
		if req.Op == "quit" {
			return out.Encode(map[string]any{"ok": true})
		}
		result, err := handle(req)
		if err != nil {
			result = map[string]any{"ok": false, "error": err.Error()}
		} else {
			result["ok"] = true
		}
		if err := out.Encode(result); err != nil {
			return err
		}
	}
	return in.Err()
}

// handle dispatches one request to its measurement.
func handle(req request) (map[string]any, error) {
	switch req.Op {
	case "cold":
		return measureCold(req)
	case "floor":
		return measureFloor(req)
	case "warm":
		return measureWarm(req)
	case "throughput":
		return measureThroughput(req)
	case "stop":
		return measureStop(req)
	case "scale":
		return measureScale(req)
	case "memory":
		return map[string]any{"rssBytes": residentBytes()}, nil
	default:
		return nil, fmt.Errorf("unknown op %q", req.Op)
	}
}

// runOnce is the whole-process comparison for our CLI: start, one Greet, stop, exit.
func runOnce(args []string) int {
	fs := flag.NewFlagSet("once", flag.ContinueOnError)
	path := fs.String("plugin", "", "plugin executable")
	autoMTLS := fs.Bool("automtls", false, "use AutoMTLS")
	if err := fs.Parse(args); err != nil || *path == "" || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	started, err := startGreeter(request{Plugin: *path, AutoMTLS: *autoMTLS})
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		return 1
	}
	defer started.client.Kill()
	message, err := greetOnce(started.greeter, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		return 1
	}
	fmt.Println(message)
	return 0
}
