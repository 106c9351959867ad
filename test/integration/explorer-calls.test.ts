// Dynamic calls against the explorer's Go test plugin (real hashicorp/go-plugin, real
// Go protobuf): the proto3 JSON mapping round trip, server streams delivered whole and
// cancelled midway, deadlines, metadata, and every typed error driven by a real request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { callMethod, isExplorerError, loadCatalog, type ExplorerError, type PluginCatalog } from '../../src/explorer';
import { startPlugin, type PluginClient } from '../../src/host';
import { join } from 'node:path';
import { fixture, recordingSinks, repoRoot, waitFor } from '../helpers/plugins';

const FIXTURE = 'explorer.fixture.Fixture';

function explorerError(code: ExplorerError['code'], check: (e: ExplorerError) => void = () => undefined) {
  return (e: unknown) => {
    assert.ok(isExplorerError(e), `expected an ExplorerError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.plugin, 'explorer-fixture');
    check(e);
    return true;
  };
}

describe('explorer: dynamic calls', () => {
  let plugin: PluginClient;
  let catalog: PluginCatalog;
  const recorded = recordingSinks();

  before(async () => {
    plugin = await startPlugin({ path: fixture('bin/explorer-fixture'), autoMTLS: true, sinks: recorded.sinks });
    catalog = await loadCatalog(plugin);
  });
  after(() => plugin?.stop());

  it('round-trips every proto3 JSON mapping case through the Go plugin unchanged', async () => {
    const request = {
      text: 'héllo',
      big: '-9007199254740993', // beyond 2^53: exact only as a string
      ubig: '18446744073709551615',
      small: -7,
      flag: true,
      ratio: 0.25,
      blob: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      color: 'GREEN',
      tags: ['a', 'b'],
      counts: { x: '1', y: '-2' },
      at: '2024-02-29T23:59:59.123Z',
      took: '-1.500s',
      extra: { nested: { list: [1, 'two', null, true] } },
      payload: { '@type': 'type.googleapis.com/explorer.fixture.Tick', index: 9, at: '1970-01-01T00:00:00Z' },
      child: { number: 42, child: { label: 'deep' } },
      label: 'chosen',
      note: '', // proto3 optional: present although empty, so written back
      parts: { k: { tone: 'RED', parts: [{}, { tone: 'GREEN' }] } },
    };
    const outcome = await callMethod(plugin, catalog, `${FIXTURE}/Echo`, JSON.stringify(request));
    assert.deepEqual(outcome.messages, [request]);
  });

  it('accepts proto field names as well as JSON names, and numbers for 64-bit integers and enums', async () => {
    const outcome = await callMethod(plugin, catalog, `${FIXTURE}/Count`, '{"count": 2, "interval_ms": 1}');
    assert.equal(outcome.messages.length, 2);
    const echo = await callMethod(plugin, catalog, `${FIXTURE}/Echo`, { big: 12, color: 1 });
    assert.deepEqual(echo.messages, [{ big: '12', color: 'RED' }]);
  });

  it('writes default values only when asked', async () => {
    const plain = await callMethod(plugin, catalog, `${FIXTURE}/Echo`, '{}');
    assert.deepEqual(plain.messages, [{}]);
    const full = await callMethod(plugin, catalog, `${FIXTURE}/Echo`, '{}', { emitDefaults: true });
    const message = full.messages[0] as Record<string, unknown>;
    assert.equal(message.big, '0');
    assert.equal(message.color, 'COLOR_UNSPECIFIED');
    assert.deepEqual(message.tags, []);
  });

  it('delivers every message of a server stream, in order, as it arrives', async () => {
    const seen: number[] = [];
    const outcome = await callMethod(plugin, catalog, `${FIXTURE}/Count`, '{"count": 200}', {
      onMessage: (message, index) => seen.push(index === 0 ? 0 : ((message as { index: number }).index ?? -1)),
    });
    assert.equal(outcome.kind, 'server_streaming');
    assert.equal(outcome.messages.length, 200);
    assert.deepEqual(seen, [...Array(200).keys()]);
    await waitFor(() => recorded.logs.some((l) => l.message === 'count stream ended' && l.fields.sent === 200), 'the plugin logging 200 sent');
  });

  it('cancels a server stream midway: the call rejects CANCELLED and the plugin sees the cancel', async () => {
    const cancel = new AbortController();
    let received = 0;
    await assert.rejects(
      callMethod(plugin, catalog, `${FIXTURE}/Count`, '{"count": 1000, "intervalMs": 20}', {
        signal: cancel.signal,
        timeoutMs: 60_000,
        onMessage: () => ++received === 3 && cancel.abort(),
      }),
      explorerError('CANCELLED', (e) => assert.match(e.message, /Count to plugin "explorer-fixture" was cancelled/)),
    );
    assert.equal(received, 3);
    await waitFor(
      () => recorded.logs.some((l) => l.message === 'count stream ended' && l.fields.cancelled === true && (l.fields.sent as number) < 1000),
      'the plugin logging a cancelled stream',
    );
  });

  it('ends a stream that outlives its deadline with DEADLINE_EXCEEDED and the timeout in the message', async () => {
    // Repeated: the Go server enforces the deadline too, and its stream reset (seen as
    // CANCELLED) sometimes arrives before grpc-js's own timer fires; both are the deadline.
    for (let i = 0; i < 15; i++) {
      await assert.rejects(
        callMethod(plugin, catalog, `${FIXTURE}/Count`, '{"count": 1000, "intervalMs": 20}', { timeoutMs: 150 }),
        explorerError('CALL_STATUS', (e) => {
          assert.equal(e.details.grpcStatus, 'DEADLINE_EXCEEDED', e.message);
          assert.match(e.message, /within 150 ms; raise the call timeout/);
        }),
      );
    }
  });

  it('sends request metadata and returns response headers and trailers', async () => {
    let early: Record<string, string[]> | undefined;
    const outcome = await callMethod(plugin, catalog, `${FIXTURE}/Headers`, '', {
      metadata: { 'x-request-id': 'abc-123', 'x-data-bin': Buffer.from('raw').toString('base64') },
      onHeaders: (headers) => (early = headers),
    });
    const received = outcome.messages[0] as Record<string, string>;
    assert.equal(received['x-request-id'], 'abc-123');
    assert.deepEqual(outcome.headers['x-fixture-header'], ['header-value']);
    assert.deepEqual(early?.['x-fixture-header'], ['header-value']);
    assert.deepEqual(outcome.trailers['x-fixture-trailer'], ['trailer-value']);
  });
});

describe('explorer: a plugin that dies during a call', () => {
  it('a call whose connection drops while the plugin exits is PLUGIN_NOT_RUNNING with its exit, not UNAVAILABLE', async () => {
    // The fixture drops the connection at once and exits 200 ms later.
    const plugin = await startPlugin({ path: fixture('bin/bare-grpc'), name: 'explorer-fixture', env: { FIXTURE_SERVICES: 'greeter,health,drop-on-greet' } });
    try {
      const catalog = await loadCatalog(plugin, { protoFiles: [join(repoRoot, 'proto/greeter.proto')] });
      await assert.rejects(
        callMethod(plugin, catalog, 'tutorial.Greeter/Greet', '{"name": "Alice"}'),
        explorerError('PLUGIN_NOT_RUNNING', (e) => assert.match(e.message, /exit code 9/)),
      );
    } finally {
      await plugin.stop();
    }
  });
});

describe('explorer: typed errors from real requests', () => {
  let plugin: PluginClient;
  let catalog: PluginCatalog;
  before(async () => {
    plugin = await startPlugin({ path: fixture('bin/explorer-fixture') });
    catalog = await loadCatalog(plugin);
  });
  after(() => plugin?.stop());
  const echo = (request: string) => callMethod(plugin, catalog, `${FIXTURE}/Echo`, request);

  it('unknown service, listing the served ones', async () => {
    await assert.rejects(
      callMethod(plugin, catalog, 'explorer.fixture.Fixtures/Echo', '{}'),
      explorerError('UNKNOWN_SERVICE', (e) => {
        assert.match(e.message, /serves no service "explorer\.fixture\.Fixtures"\. It serves explorer\.fixture\.Fixture\./);
        assert.deepEqual(e.details.validNames, ['explorer.fixture.Fixture']);
      }),
    );
  });

  it('request metadata gRPC cannot carry is refused before anything is sent, and the plugin keeps answering', async () => {
    for (const [metadata, problem] of [
      [{ 'x caller': 'a' }, /keys may hold only letters/],
      [{ 'x-caller': 'café' }, /printable ASCII/],
      [{ 'x-data-bin': 'not base64!' }, /must be base64/],
      [{ 'x-data-bin': 'AAAAA' }, /must be base64/],
      [{ 'content-type': 'text/plain' }, /set by the transport/],
      [{ connection: 'close' }, /set by the transport/],
    ] as const) {
      await assert.rejects(
        callMethod(plugin, catalog, `${FIXTURE}/Headers`, '', { metadata }),
        explorerError('INVALID_METADATA', (e) => assert.match(e.message, problem)),
      );
    }
    const outcome = await callMethod(plugin, catalog, `${FIXTURE}/Headers`, '', { metadata: { 'X-Caller': 'first', 'x-caller': 'second' } });
    // Keys are case-insensitive: both values travel, in order (the fixture echoes the first).
    assert.equal((outcome.messages[0] as Record<string, string>)['x-caller'], 'first');
    // Binary values: spaces around them (as typed after -H 'KEY:') ignored, URL-safe or unpadded accepted, sent as padded base64.
    for (const [typed, bytes] of [[' AAEC ', [0, 1, 2]], ['AAE_', [0, 1, 63]], ['AAE', [0, 1]]] as const) {
      const binary = await callMethod(plugin, catalog, `${FIXTURE}/Headers`, '', { metadata: { 'x-b-bin': typed } });
      assert.equal((binary.messages[0] as Record<string, string>)['x-b-bin'], String.fromCharCode(...bytes), JSON.stringify(typed));
    }
  });

  it('unknown method, listing the service\'s methods', async () => {
    await assert.rejects(
      callMethod(plugin, catalog, `${FIXTURE}/Ecko`, '{}'),
      explorerError('UNKNOWN_METHOD', (e) => {
        assert.match(e.message, /has no method "Ecko"\. Its methods: Echo, Count, Fail, Headers, Upload, Chat\./);
      }),
    );
  });

  it('client-streaming and bidirectional methods are refused plainly, before anything is sent', async () => {
    await assert.rejects(callMethod(plugin, catalog, `${FIXTURE}/Upload`, '{}'), explorerError('UNSUPPORTED_METHOD_KIND', (e) =>
      assert.match(e.message, /is a client-streaming method; only unary and server-streaming methods can be called/)));
    await assert.rejects(callMethod(plugin, catalog, `${FIXTURE}/Chat`, '{}'), explorerError('UNSUPPORTED_METHOD_KIND', (e) =>
      assert.match(e.message, /is a bidirectional streaming method/)));
  });

  it('JSON that does not parse, with line and column', async () => {
    await assert.rejects(
      echo('{\n  "text": "a",\n  "small": ,\n}'),
      explorerError('REQUEST_JSON_SYNTAX', (e) => {
        assert.deepEqual(e.details.position, { line: 3, column: 12 });
        assert.match(e.message, /is not valid JSON: value expected at line 3, column 12/);
      }),
    );
  });

  it('an unknown field, named, with the valid ones listed and its place', async () => {
    await assert.rejects(
      echo('{\n  "child": {\n    "txet": "a"\n  }\n}'),
      explorerError('UNKNOWN_FIELD', (e) => {
        assert.equal(e.details.field, 'txet');
        assert.equal(e.details.path, '$.child.txet');
        assert.deepEqual(e.details.position, { line: 3, column: 5 });
        assert.ok(e.details.validNames?.includes('text'));
        assert.match(e.message, /unknown field "txet" at \$\.child\.txet \(line 3, column 5\): explorer\.fixture\.Sample has no such field\. Valid fields: text, big,/);
      }),
    );
  });

  it('values of the wrong type, with their JSON path', async () => {
    const cases: [string, string, RegExp][] = [
      ['{"text": 5}', '$.text', /has the number 5 at \$\.text \(line 1, column 10\); it must be a string/],
      ['{"child": {"tags": ["a", 2]}}', '$.child.tags[1]', /has the number 2 at \$\.child\.tags\[1\].*must be a string/],
      ['{"counts": {"k": "many"}}', '$.counts["k"]', /the string "many" at \$\.counts\["k"\].*must be an integer \(int64/],
      ['{"flag": "yes"}', '$.flag', /must be true or false/],
      ['{"color": "BLUE"}', '$.color', /not a value of the enum explorer\.fixture\.Color\. Valid values: COLOR_UNSPECIFIED, RED, GREEN/],
      ['{"at": "yesterday"}', '$.at', /bad google\.protobuf\.Timestamp at \$\.at/],
      ['{"tags": "a"}', '$.tags', /must be a JSON array/],
      ['{"child": 3}', '$.child', /must be a JSON object \(message explorer\.fixture\.Sample\)/],
    ];
    for (const [request, path, message] of cases) {
      await assert.rejects(echo(request), explorerError('WRONG_VALUE_TYPE', (e) => {
        assert.equal(e.details.path, path, request);
        assert.match(e.message, message);
      }));
    }
  });

  it('a response with no proto3 JSON form (a Timestamp beyond year 9999) is a typed error, not a crash', async () => {
    await assert.rejects(
      echo('{"text": "out-of-range-timestamp"}'),
      explorerError('RESPONSE_NOT_JSON', (e) => assert.match(e.message, /answered explorer\.fixture\.Fixture\/Echo with a message that cannot be written as proto3 JSON/)),
    );
    // The connection is unharmed.
    assert.deepEqual((await echo('{"text": "fine"}')).messages, [{ text: 'fine' }]);
  });

  it('every gRPC status code, with its message and details', async () => {
    for (let code = 1; code <= 16; code++) {
      const name = grpc.status[code];
      await assert.rejects(
        callMethod(plugin, catalog, `${FIXTURE}/Fail`, JSON.stringify({ code, message: `failing with ${name}`, reason: `R${code}` })),
        explorerError('CALL_STATUS', (e) => {
          assert.equal(e.details.grpcCode, code);
          assert.equal(e.details.grpcStatus, name);
          assert.equal(e.details.grpcMessage, `failing with ${name}`);
          assert.deepEqual(e.details.grpcDetails, [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: `R${code}`, domain: 'explorer.fixture' },
          ]);
          assert.match(e.message, new RegExp(`^Plugin "explorer-fixture" ended ${FIXTURE}/Fail with ${name}: failing with ${name}\\.`));
        }),
      );
    }
  });
});

describe('explorer: a plugin that stops during a call', () => {
  it('ends the stream with PLUGIN_NOT_RUNNING', async () => {
    const plugin = await startPlugin({ path: fixture('bin/explorer-fixture') });
    try {
      const catalog = await loadCatalog(plugin);
      let received = 0;
      await assert.rejects(
        callMethod(plugin, catalog, `${FIXTURE}/Count`, '{"count": 1000, "intervalMs": 20}', {
          timeoutMs: 60_000,
          onMessage: () => ++received === 2 && void plugin.stop(),
        }),
        (e) => isExplorerError(e) && e.code === 'PLUGIN_NOT_RUNNING' && /stopped/.test(e.message),
      );
      await assert.rejects(callMethod(plugin, catalog, `${FIXTURE}/Echo`, '{}'), { code: 'PLUGIN_NOT_RUNNING' });
    } finally {
      await plugin.stop();
    }
  });
});
