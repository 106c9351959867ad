// Tooltips show what plugins and settings supply as text: hostile Markdown in a plugin
// name, path, argument, greeting or error cannot become a link, a command, HTML or markup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginError } from '../../src/host/errors';
import { escapeMarkdown, greetingTooltipMarkdown, pluginTooltipMarkdown } from '../../src/vscode/tooltip';
import { snapshot } from './vscode-snapshots';

const HOSTILE = [
  '[click me](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '**bold** _it_ `code` ~~gone~~',
  '# Heading',
  '![img](https://evil.example/x.png)',
  'https://evil.example/autolink',
  '$(zap) icon',
  'a | table | row',
  '\\[escaped already\\]',
];

/** Every ASCII punctuation character of `md` is backslash-escaped (so it is literal). */
function onlyEscapedPunctuation(md: string): boolean {
  for (let i = 0; i < md.length; i++) {
    const c = md[i]!;
    if (c === '\\') {
      i++; // the escaped character
      continue;
    }
    if (/[!-/:-@[-`{-~]/.test(c)) return false;
  }
  return true;
}

/** What a Markdown renderer shows for an escaped string. */
function unescape(md: string): string {
  return md.replace(/ {2}\n/g, '\n').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

test('escapeMarkdown leaves no active Markdown character and round-trips to the same text', () => {
  for (const text of HOSTILE) {
    const md = escapeMarkdown(text);
    assert.ok(onlyEscapedPunctuation(md), `unescaped markup in ${md}`);
    assert.equal(unescape(md), text);
  }
  const multi = escapeMarkdown('line one\n# not a heading\n---');
  assert.equal(multi, 'line one  \n\\# not a heading  \n\\-\\-\\-', 'new lines are hard breaks, never new blocks');
});

test('a plugin tooltip escapes the name, path, args and error from settings and plugins', () => {
  const [link, html, emphasis, heading] = HOSTILE as [string, string, string, string];
  const md = pluginTooltipMarkdown(
    snapshot({
      name: link,
      state: 'failed',
      entry: { name: link, path: `/opt/${html}`, args: [emphasis] },
      resolvedPath: `/opt/${html}`,
      lastError: new PluginError('EXITED_BEFORE_HANDSHAKE', heading, `stderr: ${link}\n${html}`),
    }),
  );
  // Each text starts with a punctuation character, which must always be escaped.
  for (const text of [link, html, emphasis, heading]) {
    const unescapedAt = md.split(text).slice(0, -1).some((before) => !before.endsWith('\\'));
    assert.ok(!unescapedAt, `raw "${text}" in tooltip:\n${md}`);
  }
  assert.ok(md.includes(`### ${escapeMarkdown(link)}\n`));
  assert.ok(md.includes(`**Path** ${escapeMarkdown(`/opt/${html}`)}`));
  assert.ok(md.includes(`**Args** ${escapeMarkdown(emphasis)}`));
  assert.ok(md.includes(`**Last error** ${escapeMarkdown(`${heading}\nstderr: ${link}\n${html}`)}`));
  assert.ok(!/\]\(command:/.test(md.replace(/\\./g, '')), 'no command link survives');
});

test('a greeting tooltip escapes the answer and the name', () => {
  const md = greetingTooltipMarkdown({ name: '<b>Eve</b>', message: 'hello [x](command:evil)', latencyMs: 3, at: new Date(0) });
  assert.ok(md.startsWith(`${escapeMarkdown('hello [x](command:evil)')}\n\n`));
  assert.ok(md.includes(`**Asked for** ${escapeMarkdown('<b>Eve</b>')}`));
  assert.ok(!md.includes('<b>') && !md.includes('](command'));
});

test('uptime is computed at hover time', () => {
  const s = snapshot({
    state: 'running',
    info: { pid: 42, network: 'unix', address: '/tmp/p', tls: true, protocolVersion: 1, startedAt: new Date(1_000_000) } as never,
  });
  assert.match(pluginTooltipMarkdown(s, 1_000_000 + 65_000), /\*\*Uptime\*\* 1 min 5 s/);
  assert.match(pluginTooltipMarkdown(s, 1_000_000 + 5_000), /\*\*Uptime\*\* 5 s/);
  assert.match(pluginTooltipMarkdown(s), /\*\*PID\*\* 42/);
});

test('the tooltip names the preset and the version chosen from those offered', () => {
  const md = pluginTooltipMarkdown({
    name: 'time',
    state: 'running',
    entry: { name: 'time', path: '/bin/tp', handshake: { preset: 'terraform' } },
    offeredVersions: [6, 5],
    info: { pid: 7, network: 'unix', address: '/tmp/s', tls: true, protocolVersion: 5, startedAt: new Date(0) },
    crashCount: 0,
    greetCount: 0,
    history: [],
  }, 1000);
  assert.match(md, /\*\*Handshake preset\*\* terraform/);
  assert.match(md, /\*\*Protocol version\*\* 5 \\\(chosen from 6\\, 5\\\)/);
});
