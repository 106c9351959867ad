/// <reference lib="dom" />
// Drives the VS Code web UI in headless Chromium with playwright-core the way a user does:
// command palette, input boxes, quick picks, the Plugins tree, notifications, the Output
// view. Selectors work on VS Code 1.100's and 1.139's DOM (see ../shared/E2E.md).

import { mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, RESULTS_DIR } from './code-server';

/** The Chromium flags that work on these machines. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const NOTIFICATION = '.notifications-toasts .notification-list-item';
const PLUGINS_PANE = '.pane:has(> .pane-header[aria-label="Plugins Section"])';

/** A string as a RegExp source matching it literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Polls `file` until its text passes `done`; throws with what it last held after `timeoutMs`. */
async function waitForFile(file: string, done: (text: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '';
    }
    if (done(text)) return;
    if (Date.now() > deadline) throw new Error(`${file} did not get the expected content within ${timeoutMs} ms; it holds:\n${text}`);
    await sleep(50);
  }
}

/** One browser tab on a code-server workbench. */
export class Workbench {
  private constructor(readonly browser: Browser, readonly page: Page) {}

  /** Opens the workbench and waits until it is drawn. */
  static async open(url: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The status bar appears once the workbench has restored its parts.
      await page.locator('.part.statusbar').waitFor({ timeout: 30_000 });
      return new Workbench(browser, page);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  /** Runs a command from the palette by its full title ("Greeter: Greet"). */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator(QUICK_INPUT_BOX);
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    // Enter runs the focused row; make sure it is ours, not a longer title ranked first.
    await this.focusRowExactly(title);
    await this.page.keyboard.press('Enter');
  }

  /** Answers an input box opened by a command. */
  async answerInputBox(value: string): Promise<void> {
    const input = this.page.locator(QUICK_INPUT_BOX);
    await input.waitFor({ state: 'visible' });
    // Wait for the command's input box (the palette text is gone), then type like a user.
    await this.page.waitForFunction((sel) => !(document.querySelector(sel) as HTMLInputElement | null)?.value.startsWith('>'), QUICK_INPUT_BOX);
    await input.fill(value);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Chooses a file in code-server's file dialog (a quick input holding a path): types the
   * path, waits until the dialog lists the file with the path still in the box, then
   * presses its OK button. The dialog loads its start folder asynchronously and may rewrite
   * the box once that load lands, after our typing; then the path is typed again.
   */
  async chooseFile(path: string, okLabel: string): Promise<void> {
    const input = this.page.locator(QUICK_INPUT_BOX);
    const rows = this.page.locator(`${QUICK_INPUT} .monaco-list-row`);
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    const deadline = Date.now() + 30_000;
    let seen = '';
    for (;;) {
      if ((await input.inputValue()) !== path) await input.fill(path);
      const ready = await this.page
        .waitForFunction(
          ({ box, rowSel, want, name }) => {
            const value = (document.querySelector(box) as HTMLInputElement | null)?.value;
            const listed = Array.from(document.querySelectorAll(rowSel)).some((row) => row.querySelector('.label-name')?.textContent?.trim() === name);
            return value === want && listed;
          },
          { box: QUICK_INPUT_BOX, rowSel: `${QUICK_INPUT} .monaco-list-row`, want: path, name: fileName },
          { timeout: 3_000 },
        )
        .then(() => true, () => false);
      if (ready) break;
      seen = await input.inputValue();
      if (Date.now() > deadline) throw new Error(`the file dialog did not settle on ${path} (its box holds ${JSON.stringify(seen)})`);
    }
    await this.page.locator(`${QUICK_INPUT} .monaco-button`, { hasText: okLabel }).first().click();
  }

  /** Waits for a command's input box (the palette's ">" text gone) and returns what it is pre-filled with. */
  async inputBoxValue(): Promise<string> {
    const input = this.page.locator(QUICK_INPUT_BOX);
    await input.waitFor({ state: 'visible' });
    await this.page.waitForFunction((sel) => !(document.querySelector(sel) as HTMLInputElement | null)?.value.startsWith('>'), QUICK_INPUT_BOX);
    return input.inputValue();
  }

  /** Waits for an input box titled `title`, then answers it. */
  async answerTitledInputBox(title: string, value: string): Promise<void> {
    await this.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: new RegExp(`^${escapeRegExp(title)}$`) }).waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.locator(QUICK_INPUT_BOX).fill(value);
    await this.page.keyboard.press('Enter');
  }

  /** The validation message an input box shows for what is typed. */
  async inputBoxMessage(value: string, expected: RegExp): Promise<string> {
    const input = this.page.locator(QUICK_INPUT_BOX);
    await input.waitFor({ state: 'visible' });
    await input.fill(value);
    await this.page.keyboard.press('Enter');
    // The message row shows the box's prompt until validation replaces it: wait for the
    // text asked for, and return what is there either way so a mismatch is visible.
    const selector = `${QUICK_INPUT} .quick-input-message`;
    await this.page
      .waitForFunction(([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''), [selector, expected.source, expected.flags] as const, { timeout: 15_000 })
      .catch(() => undefined);
    return (await this.page.locator(selector).textContent()) ?? '';
  }

  /** Picks a quick-pick row by typing its label and pressing Enter, as a keyboard user does. */
  async pick(label: string): Promise<void> {
    const input = this.page.locator(QUICK_INPUT_BOX);
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`).filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(label);
    await this.page.waitForFunction(
      ({ sel, want }) => (document.querySelector(sel)?.querySelector('.label-name')?.textContent ?? '').trim().endsWith(want),
      { sel: `${QUICK_INPUT} .monaco-list-row.focused`, want: label },
      { timeout: 10_000 },
    );
    await this.page.keyboard.press('Enter');
  }

  /** Waits for a notification whose message contains `text`; returns its message text. */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.page.locator(NOTIFICATION).filter({ hasText: text }).first();
    try {
      await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (err) {
      const shown = await this.page.locator(`${NOTIFICATION} .notification-list-item-message`).allInnerTexts();
      throw new Error(`no notification matching ${String(text)} within ${timeoutMs} ms; shown: ${JSON.stringify(shown)}`, { cause: err });
    }
    return (await toast.locator('.notification-list-item-message').textContent()) ?? '';
  }

  /**
   * Replaces the remote (machine) user settings through their settings.json editor, as a
   * user would; code-server does not notice the file rewritten behind its back. `file` is
   * that settings.json: the save is done when it holds `settings`. (VS Code 1.13x's modal
   * editor has no tab to lose its dirty mark, and closing it mid-save asks to save.)
   */
  async replaceRemoteSettings(settings: Record<string, unknown>, file: string): Promise<void> {
    await this.runCommand('Preferences: Open Remote Settings (JSON)');
    const editor = this.page.locator('.editor-instance .monaco-editor textarea').first();
    await editor.waitFor({ state: 'attached', timeout: 15_000 });
    await this.page.waitForFunction(() => document.activeElement?.closest('.monaco-editor') !== null);
    await this.page.keyboard.press('ControlOrMeta+A');
    // Pasting (unlike typing) neither auto-indents nor auto-closes brackets.
    await this.page.evaluate((text) => navigator.clipboard.writeText(text), JSON.stringify(settings, null, 2));
    await this.page.keyboard.press('ControlOrMeta+V');
    await this.page.keyboard.press('ControlOrMeta+S');
    await waitForFile(file, (text) => isDeepStrictEqual(parseJsonOrUndefined(text), settings), 10_000);
    await this.closeActiveEditor();
  }

  /**
   * Closes the active editor. VS Code 1.13x opens settings.json in a modal editor that
   * takes the keyboard (F1 does not reach the palette); Escape closes it. Older versions
   * use an ordinary tab, closed from the palette.
   */
  async closeActiveEditor(): Promise<void> {
    const modal = this.page.locator('.modal-editor-part');
    if (await modal.count()) {
      // An open widget in the editor (suggestions, a hover) takes the first Escape.
      for (let attempt = 1; ; attempt++) {
        await this.page.keyboard.press('Escape');
        try {
          await modal.waitFor({ state: 'detached', timeout: 2_000 });
          return;
        } catch (err) {
          if (attempt === 5) throw err;
        }
      }
    } else {
      await this.runCommand('View: Close Editor');
    }
  }

  /** Hides the bottom panel (Output, Terminal, ...) when it is open. */
  async hidePanel(): Promise<void> {
    if (await this.page.locator('.part.panel').isVisible()) await this.runCommand('View: Hide Panel');
  }

  /** Closes every notification toast (keeps screenshots readable). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Shows the Greeter view container by clicking its activity-bar icon. */
  async showGreeterView(): Promise<void> {
    // The pane header is hidden while Plugins is the container's only view; its body is not.
    const body = this.page.locator(`${PLUGINS_PANE} .pane-body`);
    if (await body.isVisible()) return;
    await this.page.locator('.activitybar .action-item a[aria-label^="Greeter"]').first().click();
    await this.page.mouse.move(800, 450); // leave no hover on the activity bar
    await body.waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** Waits for the tree row of `plugin` whose aria-label ("name, state …") matches. */
  async waitForPluginRow(plugin: string, state: RegExp, timeoutMs = 30_000): Promise<string> {
    const handle = await this.page.waitForFunction(
      ({ prefix, source, flags }) => {
        const re = new RegExp(source, flags);
        for (const row of Array.from(document.querySelectorAll('.monaco-list-row[aria-label]'))) {
          const label = row.getAttribute('aria-label') ?? '';
          if (label.startsWith(prefix) && re.test(label.slice(prefix.length))) return label;
        }
        return false;
      },
      { prefix: `${plugin}, `, source: state.source, flags: state.flags },
      { timeout: timeoutMs, polling: 50 },
    );
    return (await handle.jsonValue()) as string;
  }

  /** Drags the side bar's edge so tree descriptions are not cut off. */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const edge = box.x + box.width;
    await this.page.mouse.move(edge + 1, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Hovers a plugin row and returns the text of its tooltip once it shows `expect`. */
  async pluginTooltip(plugin: string, expect: string): Promise<string> {
    await this.page.locator(`.monaco-list-row[aria-label^="${plugin}, "]`).first().hover();
    const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: expect }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    return hover.innerText();
  }

  /** Waits until the Plugins tree has a row whose text starts with `prefix`. */
  async waitForTreeRow(prefix: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      ({ pane, want }) => Array.from(document.querySelectorAll(`${pane} .monaco-list-row`)).some((r) => (r as HTMLElement).innerText.startsWith(want)),
      { pane: PLUGINS_PANE, want: prefix },
      { timeout: timeoutMs, polling: 50 },
    );
  }

  /** The labels of the rows of the Plugins tree. */
  async treeRowTexts(): Promise<string[]> {
    return this.page.locator(`${PLUGINS_PANE} .monaco-list-row`).allInnerTexts();
  }

  /** The text of the Plugins view's welcome content. */
  async welcomeText(): Promise<string> {
    const welcome = this.page.locator(`${PLUGINS_PANE} .welcome-view-content`);
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    return (await welcome.innerText()).trim();
  }

  /** Waits until the Output view shows `text` (the channel must already be shown). */
  async waitForOutputText(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const handle = await this.page.waitForFunction(
      ({ source, flags }) => {
        const re = new RegExp(source, flags);
        const lines = document.querySelector('.part.panel .output-view .view-lines, .part.panel .monaco-editor .view-lines');
        // Monaco renders spaces as no-break spaces.
        const content = ((lines as HTMLElement | null)?.innerText ?? '').replace(/\u00a0/g, ' ');
        return re.test(content) ? content : false;
      },
      typeof text === 'string' ? { source: escapeRegExp(text), flags: '' } : { source: text.source, flags: text.flags },
      { timeout: timeoutMs, polling: 200 },
    );
    return (await handle.jsonValue()) as string;
  }

  /** Saves a screenshot as test-results/<name>.png and returns its path. */
  async screenshot(name: string, keepHover = false): Promise<string> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${name}.png`);
    if (!keepHover) await this.page.mouse.move(800, 450); // no hover left over from the last click
    // Let toasts finish fading in, so the picture shows them whole.
    await this.page.waitForFunction(() => !document.querySelector('.notification-toast:not(.notification-fade-in-done)'), undefined, { timeout: 5000 }).catch(() => undefined);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  private async closeQuickInput(): Promise<void> {
    if (await this.page.locator(QUICK_INPUT).isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Moves the quick-pick focus down to the row whose label is exactly `text`. */
  private async focusRowExactly(text: string): Promise<void> {
    const focusedLabel = async () =>
      this.page.evaluate((sel) => {
        const row = document.querySelector(sel);
        return (row?.getAttribute('aria-label') ?? row?.textContent ?? '').split(',')[0]!.trim();
      }, `${QUICK_INPUT} .monaco-list-row.focused`);
    for (let i = 0; i < 15; i++) {
      const label = await focusedLabel();
      if (label === text || label.startsWith(`${text} `) || label.startsWith(`${text} `)) return;
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no quick-pick row labelled "${text}"; focused: "${await focusedLabel()}"`);
  }
}
