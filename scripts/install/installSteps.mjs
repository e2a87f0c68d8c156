// Reads the steps of docs/install.md and applies them to an app, so the install suite does
// exactly what the document says and the two cannot drift apart. A step is a fenced block
// right after a marker comment:
//
//   <!-- install-step: run -->                 the block's commands, with bash, in the app root
//   <!-- install-step: patch <file> -->        a diff: its context and '-' lines must be found
//                                              once in <file>; they become context and '+' lines
//   <!-- install-step: create <file> -->       the block is the new file
//   <!-- install-step: merge <file.yaml> -->   the YAML merged into the file: maps merged key
//                                              by key, lists appended, anything else replaced
//
// `install-step new:` and `install-step legacy:` mark steps for one kind of app only (the new
// frontend system, create-app's default, or a `create-app --legacy` app).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';

const MARKER =
  /^<!--\s*install-step(?:\s+(new|legacy))?:\s*(run|patch|create|merge)\s*(\S*)\s*-->\s*$/;

/** The steps for one kind of app: those for every app and those for its kind. */
export function installStepsFor(steps, variant) {
  return steps.filter(s => s.variant === 'all' || s.variant === variant);
}

/** The marked steps of an install document, in order. */
export function parseInstallSteps(markdown) {
  const lines = markdown.split('\n');
  const steps = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const [, variant = 'all', action, path] = marker;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const fence = /^```(\w*)\s*$/.exec(lines[j] ?? '');
    if (!fence) {
      throw new Error(
        `install.md line ${
          i + 1
        }: "install-step: ${action}" is not followed by a fenced block`,
      );
    }
    const body = [];
    for (j++; j < lines.length && !/^```\s*$/.test(lines[j]); j++) {
      body.push(lines[j]);
    }
    if (action !== 'run' && !path) {
      throw new Error(`install.md line ${i + 1}: "${action}" needs a file`);
    }
    steps.push({
      variant,
      line: i + 1,
      action,
      path,
      lang: fence[1],
      body: body.join('\n'),
    });
    i = j;
  }
  return steps;
}

/** Old and new text of a diff block (no hunk headers: context, '-' and '+' lines). */
export function diffSides(diff) {
  const before = [];
  const after = [];
  for (const line of diff.split('\n')) {
    const mark = line[0];
    const text = line.slice(1);
    if (line === '' || mark === ' ') {
      before.push(text);
      after.push(text);
    } else if (mark === '-') before.push(text);
    else if (mark === '+') after.push(text);
    else throw new Error(`diff line without ' ', '-' or '+': ${line}`);
  }
  return { before: before.join('\n'), after: after.join('\n') };
}

/** Applies a diff block to `text`; the old side must occur exactly once. */
export function applyPatch(text, diff, what) {
  const { before, after } = diffSides(diff);
  const at = text.indexOf(before);
  if (at < 0)
    throw new Error(
      `${what}: the diff's old lines are not in the file:\n${before}`,
    );
  if (text.indexOf(before, at + 1) >= 0) {
    throw new Error(`${what}: the diff's old lines occur more than once`);
  }
  return text.slice(0, at) + after + text.slice(at + before.length);
}

function mergeNode(target, addition) {
  if (YAML.isMap(target) && YAML.isMap(addition)) {
    for (const pair of addition.items) {
      const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
      const existing = target.get(key, true);
      if (existing && (YAML.isMap(existing) || YAML.isSeq(existing))) {
        const merged = mergeNode(existing, pair.value);
        if (merged !== existing) target.set(key, merged);
      } else {
        target.set(key, pair.value);
      }
    }
    return target;
  }
  if (YAML.isSeq(target) && YAML.isSeq(addition)) {
    target.items.push(...addition.items);
    return target;
  }
  return addition;
}

/** `yamlText` with `addition` merged in (comments of the file kept). */
export function mergeYaml(yamlText, addition) {
  const doc = YAML.parseDocument(yamlText);
  const add = YAML.parseDocument(addition);
  for (const d of [doc, add]) {
    if (d.errors.length)
      throw new Error(d.errors.map(e => e.message).join('\n'));
  }
  doc.contents = mergeNode(doc.contents, add.contents);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Runs a block with bash; resolves when it exits 0. Asynchronous on purpose: the suite's
 * local registry answers `yarn add` from this same process.
 */
function runBlock(body, { cwd, env, log, what }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', body], {
      cwd,
      env,
      stdio: log === undefined ? 'inherit' : ['ignore', log, log],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${what} failed (${code ?? signal})`)),
    );
  });
}

/**
 * Applies one step in `appDir`; `env` is the environment of `run` steps, `log` a file
 * descriptor for their output.
 */
export async function applyInstallStep(
  step,
  appDir,
  { env = process.env, log } = {},
) {
  const what = `install.md line ${step.line} (${step.action} ${step.path})`;
  const file = step.path ? resolve(appDir, step.path) : undefined;
  switch (step.action) {
    case 'run':
      await runBlock(step.body, { cwd: appDir, env, log, what });
      return;
    case 'create':
      if (existsSync(file)) throw new Error(`${what}: the file exists already`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${step.body}\n`);
      return;
    case 'patch':
      writeFileSync(
        file,
        applyPatch(readFileSync(file, 'utf8'), step.body, what),
      );
      return;
    case 'merge':
      writeFileSync(file, mergeYaml(readFileSync(file, 'utf8'), step.body));
      return;
    default:
      throw new Error(`${what}: unknown action`);
  }
}
