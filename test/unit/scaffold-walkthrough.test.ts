// The Get Started walkthrough: every command it links or waits for exists, every media file
// exists and goes into the VSIX, and its edit/rebuild table matches what the templates say.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LANGUAGES } from '../../src/scaffold';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
const views: string[] = Object.values<{ id: string }[]>(pkg.contributes.views).flat().map((v) => v.id);
const steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[] = pkg.contributes.walkthroughs[0].steps;

/** A contributed command, or the `<view>.focus` command VS Code makes for each view. */
function known(id: string): boolean {
  return commands.has(id) || views.some((v) => id === `${v}.focus`);
}

test('the walkthrough has the four steps: create or add, greet, log, explore', () => {
  assert.deepEqual(steps.map((s) => s.id.split('.').pop()), ['create', 'greet', 'log', 'explore']);
  assert.ok(steps[0]!.description.includes('command:greeter.newPlugin') && steps[0]!.description.includes('command:greeter.addPlugin'));
});

test('every command a step links or completes on exists', () => {
  for (const step of steps) {
    const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0, `${step.id} links no command`);
    for (const id of links) assert.ok(known(id), `${step.id} links unknown command ${id}`);
    for (const event of step.completionEvents) {
      const [kind, id] = event.split(':');
      if (kind === 'onCommand') assert.ok(known(id!), `${step.id} completes on unknown command ${id}`);
      if (kind === 'onView') assert.ok(views.includes(id!), `${step.id} completes on unknown view ${id}`);
    }
  }
});

test('every step has its markdown, and the VSIX ships it', () => {
  const vscodeignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(vscodeignore.includes('!media/walkthrough/**'), '.vscodeignore re-includes media/walkthrough');
  for (const step of steps) assert.ok(existsSync(join(root, step.media.markdown)), `${step.media.markdown} is missing`);
});

test('the greet step names each template\'s source file and rebuild command', () => {
  const greet = readFileSync(join(root, 'media/walkthrough/greet.md'), 'utf8');
  for (const l of LANGUAGES) {
    const row = greet.split('\n').find((line) => line.startsWith(`| ${l.label} |`));
    assert.ok(row, `no row for ${l.label}`);
    assert.ok(row.includes(`\`${l.sourceFile}\``) && row.includes(`\`${l.rebuildCommand}\``), `${l.label} row: ${row}`);
  }
});
