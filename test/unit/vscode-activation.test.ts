// An activation that throws half-way leaves nothing behind: VS Code disposes
// context.subscriptions only after a successful activate(), so activate() does it itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activateOrCleanUp, registrar, type Disposable } from '../../src/vscode/activation';

/** A resource that records its own disposal in a shared log. */
function resource(name: string, log: string[], fail = false): Disposable {
  return {
    dispose() {
      log.push(name);
      if (fail) throw new Error(`${name} refused`);
    },
  };
}

test('a throw half-way through activation disposes everything created so far, newest first, and rethrows', () => {
  const subscriptions: Disposable[] = [];
  const disposed: string[] = [];
  const boom = new Error('createTreeView failed');
  assert.throws(
    () =>
      activateOrCleanUp(subscriptions, () => {
        const own = registrar(subscriptions);
        own(resource('shutdown', disposed));
        own(resource('status bar item', disposed));
        own(resource('output channel', disposed));
        throw boom;
      }),
    (err) => err === boom,
  );
  assert.deepEqual(disposed, ['output channel', 'status bar item', 'shutdown']);
  assert.equal(subscriptions.length, 0, 'nothing left for VS Code to dispose twice');
});

test('one dispose that throws does not stop the others, and the activation error is the one reported', () => {
  const subscriptions: Disposable[] = [];
  const disposed: string[] = [];
  assert.throws(
    () =>
      activateOrCleanUp(subscriptions, () => {
        subscriptions.push(resource('a', disposed), resource('b', disposed, true), resource('c', disposed));
        throw new Error('activation failed');
      }),
    /activation failed/,
  );
  assert.deepEqual(disposed, ['c', 'b', 'a']);
});

test('a successful activation keeps its subscriptions for VS Code to dispose at deactivation', () => {
  const subscriptions: Disposable[] = [];
  const disposed: string[] = [];
  const api = activateOrCleanUp(subscriptions, () => {
    registrar(subscriptions)(resource('tree view', disposed));
    return { ok: true };
  });
  assert.deepEqual(api, { ok: true });
  assert.equal(subscriptions.length, 1);
  assert.deepEqual(disposed, []);
});
