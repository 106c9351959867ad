// New Plugin's checks on the name and the project folder, made before anything is written.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { invalidNameReason, projectFolder, unusableFolderReason } from '../../src/scaffold';

const root = mkdtempSync(join(tmpdir(), 'greeter-scaffold-names-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a plugin name is a file, npm and Go module name at once', () => {
  for (const ok of ['hello', 'go-greeter', 'my_plugin2', 'a']) assert.equal(invalidNameReason(ok), undefined, ok);
  assert.match(invalidNameReason('')!, /Enter a name/);
  for (const bad of ['Hello', '2fast', '-x', 'has space', 'a/b', '../up', 'ünï', 'x.y']) {
    assert.match(invalidNameReason(bad)!, /lowercase letters, digits/, bad);
  }
  assert.match(invalidNameReason('x'.repeat(65))!, /at most 64/);
  // npm install fails in a TypeScript project of this name.
  assert.equal(invalidNameReason('node_modules'), '"node_modules" is a name npm reserves; choose another.');
  // Names of Go standard-library packages are fine: the Go template's module path does not use the name.
  for (const ok of ['plugin', 'time', 'cmd', 'vendor']) assert.equal(invalidNameReason(ok), undefined, ok);
});

test('a name already configured is refused, naming it', () => {
  assert.equal(invalidNameReason('hello', new Set(['hello'])), 'A plugin named "hello" is already configured.');
  assert.equal(invalidNameReason('hello-2', new Set(['hello'])), undefined);
});

test('the project folder may be new or empty, never a file or a folder with files', () => {
  assert.equal(projectFolder('/a/b', 'p'), '/a/b/p');
  assert.equal(unusableFolderReason(join(root, 'new')), undefined);
  mkdirSync(join(root, 'empty'));
  assert.equal(unusableFolderReason(join(root, 'empty')), undefined);
  mkdirSync(join(root, 'full'));
  writeFileSync(join(root, 'full', 'main.go'), 'package main\n');
  assert.match(unusableFolderReason(join(root, 'full'))!, /already exists and is not empty/);
  writeFileSync(join(root, 'file'), '');
  assert.match(unusableFolderReason(join(root, 'file'))!, /exists and is not a folder/);
});
