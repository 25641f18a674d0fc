// The snippet types in the editor: the TypeScript server plugin (src/typescriptPlugin/) on TypeScript's
// language service, which checks which projects get the declarations and that a snippet using the API
// then has no error (and has errors without them); and the built plugin loaded by a real tsserver by
// package name, as VS Code's TypeScript extension has it load (--globalPlugins, --pluginProbeLocations).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import init from '../../src/typescriptPlugin/index.ts';
import { DECLARATIONS_FILE_NAME, PLUGIN_NAME, type SnippetTypesMode } from '../../src/typescriptPlugin/scope.ts';

const repoRoot = path.join(__dirname, '..', '..');
const examples = path.join(repoRoot, 'examples');

/** A snippet that uses all of the API, as a user writes it (no casts). */
const TRAINING_SNIPPET = [
  'const xs = [[2, 3, -1], [3, -1, 0.5]];',
  'const ys = [1, -1];',
  'const mlp = new MLP(3, [4, 4, 1], { seed: 1, activation: "tanh" });',
  'const optimizer = new SGD(mlp.parameters(), { lr: 0.05, momentum: 0.9 });',
  'let loss = 0;',
  'for (let step = 0; step < 3; step++) {',
  '  optimizer.zeroGrad();',
  '  const predictions = xs.map((x) => mlp(x));',
  '  loss = mseLoss(predictions, ys) + (predictions[0] - 1) ** 2;',
  '  loss.backward();',
  '  optimizer.step();',
  '}',
  'const y = mlp(xs[0]);',
  '(y - 1) ** 2;',
  'const w = mlp.layers[0].neurons[0].w[0];',
  'w.data -= 0.1 * w.grad;',
  'w.grad = 0;',
  'const layer = new Layer(3, 2, false);',
  'const outputs: number[] = layer([1, 2, 3]);',
  'const neuron = new Neuron(2);',
  'const single: number = neuron([1, 2]) + neuron.b;',
  'const adam = new Adam(neuron.parameters(), { lr: 0.01 });',
  'adam.step();',
  'neuron.zeroGrad();',
  'export { outputs, single };',
].join('\n');

const EXAMPLES_OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], moduleDetection: ts.ModuleDetectionKind.Force, strict: true, noEmit: true, types: [] };

interface Checked {
  /** Each file's diagnostics, as `file(line): message`. */
  readonly diagnostics: string[];
  /** The program's files named gradient-graph-snippets.d.ts. */
  readonly declarations: number;
}

/**
 * Type-checks `files` (name → text) as one project on TypeScript's language service, with the plugin's
 * create() around it when `mode` is given (after onConfigurationChanged with that mode).
 */
function check(files: Record<string, string>, mode?: SnippetTypesMode, options: ts.CompilerOptions = EXAMPLES_OPTIONS): Checked {
  const versions = new Map(Object.keys(files).map((name) => [name, '1']));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: (name) => versions.get(name) ?? '1',
    getScriptSnapshot: (name) => {
      const text = files[name] ?? (existsSync(name) ? readFileSync(name, 'utf8') : undefined);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => examples,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: (name) => name in files || ts.sys.fileExists(name),
    readFile: (name) => files[name] ?? ts.sys.readFile(name),
  };
  let service = ts.createLanguageService(host);
  if (mode !== undefined) {
    const plugin = init({ typescript: ts });
    plugin.onConfigurationChanged?.({ snippetTypes: mode });
    // A language service outside tsserver has no project: the plugin only uses it to log and refresh.
    service = plugin.create({ languageService: service, languageServiceHost: host, config: {} } as unknown as ts.server.PluginCreateInfo);
  }
  const diagnostics = Object.keys(files).flatMap((name) => [...service.getSyntacticDiagnostics(name), ...service.getSemanticDiagnostics(name)].map((diagnostic) => {
    const line = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0;
    return `${path.basename(name)}(${line}): ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  }));
  const program = service.getProgram()!;
  return { diagnostics, declarations: program.getSourceFiles().filter((file) => path.basename(file.fileName) === DECLARATIONS_FILE_NAME).length };
}

const snippet = (text: string) => ({ [path.join(examples, 'snippet.ts')]: text });

describe('snippet types (the TypeScript server plugin)', () => {
  it('a snippet that uses .backward(), .grad, .data, new MLP(3, [4, 4, 1]), SGD and Adam has no error with the plugin', () => {
    const checked = check(snippet(TRAINING_SNIPPET), 'auto');
    assert.deepEqual(checked.diagnostics, []);
    assert.equal(checked.declarations, 1);
  });

  it('and has errors without it, or with gradientGraph.snippetTypes off', () => {
    for (const checked of [check(snippet(TRAINING_SNIPPET)), check(snippet(TRAINING_SNIPPET), 'off')]) {
      assert.equal(checked.declarations, 0);
      assert.ok(checked.diagnostics.some((line) => line.includes("Property 'backward' does not exist on type 'number'")), checked.diagnostics.join('\n'));
      assert.ok(checked.diagnostics.some((line) => line.includes("Cannot find name 'MLP'")), checked.diagnostics.join('\n'));
    }
  });

  it('types an MLP whose last layer has 2 neurons as giving an array, so that (y - 1) ** 2 is an error', () => {
    const checked = check(snippet('const mlp = new MLP(3, [4, 2]);\nconst y = mlp([1, 2, 3]);\nconst first: number = y[0];\n(y - 1) ** 2;\nexport { first };'), 'auto');
    assert.deepEqual(checked.diagnostics, ["snippet.ts(4): The left-hand side of an arithmetic operation must be of type 'any', 'number', 'bigint' or an enum type."]);
  });

  it("auto: a project that does not use the API gets nothing (its numbers have no .data)", () => {
    const checked = check(snippet('const response = { data: 1 };\nconst count = 2;\nconst both = response.data + count.data;\nexport { both };'), 'auto');
    assert.equal(checked.declarations, 0);
    assert.deepEqual(checked.diagnostics, ["snippet.ts(3): Property 'data' does not exist on type '2'."]);
  });

  it('auto: a project that declares an MLP of its own gets nothing (no clash with its class)', () => {
    const own = 'class MLP { constructor(readonly nin: number, readonly nouts: number[]) {} }\nconst mlp = new MLP(3, [4, 1]);\nmlp.nin;\n';
    const checked = check({ [path.join(examples, 'own.ts')]: own }, 'auto', { ...EXAMPLES_OPTIONS, moduleDetection: ts.ModuleDetectionKind.Auto });
    assert.equal(checked.declarations, 0);
    assert.deepEqual(checked.diagnostics, []);
  });

  it('always: every project gets them; a project with its own copy of the declarations keeps only that one', () => {
    assert.equal(check(snippet('const n = 2;\nn.grad;'), 'always').declarations, 1);
    const copy = readFileSync(path.join(repoRoot, 'src', 'typescriptPlugin', DECLARATIONS_FILE_NAME), 'utf8');
    const checked = check({ ...snippet(TRAINING_SNIPPET), [path.join(tmpdir(), 'copy', DECLARATIONS_FILE_NAME)]: copy }, 'always');
    assert.equal(checked.declarations, 1);
    assert.deepEqual(checked.diagnostics, []);
  });

  it("examples/ have no error with the plugin and their compiler options, their tsconfig's declarations left out", () => {
    const files = Object.fromEntries(readdirSync(examples).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts')).map((name) => [path.join(examples, name), readFileSync(path.join(examples, name), 'utf8')]));
    const checked = check({ ...files, ...snippet(TRAINING_SNIPPET) }, 'auto');
    assert.deepEqual(checked.diagnostics, []);
    assert.equal(checked.declarations, 1);
  });
});

/** A tsserver process speaking its protocol (JSON requests on stdin; Content-Length framed JSON on stdout). */
function startTsserver(args: string[]) {
  const child = spawn(process.execPath, [require.resolve('typescript/lib/tsserver.js'), '--disableAutomaticTypingAcquisition', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  let seq = 0;
  const pending = new Map<number, (body: unknown) => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let match = /Content-Length: (\d+)\r\n\r\n/.exec(buffer); match; match = /Content-Length: (\d+)\r\n\r\n/.exec(buffer)) {
      const start = match.index + match[0].length;
      const length = Number(match[1]);
      if (Buffer.byteLength(buffer.slice(start)) < length) break;
      const body = Buffer.from(buffer.slice(start)).subarray(0, length).toString('utf8');
      buffer = Buffer.from(buffer.slice(start)).subarray(length).toString('utf8');
      const message = JSON.parse(body) as { type: string; request_seq?: number; body?: unknown; success?: boolean; message?: string };
      if (message.type === 'response' && message.request_seq !== undefined) pending.get(message.request_seq)?.(message.success === false ? new Error(message.message) : message.body);
    }
  });
  return {
    request(command: string, args: unknown): Promise<unknown> {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, (body) => (body instanceof Error ? reject(body) : resolve(body)));
        child.stdin.write(`${JSON.stringify({ seq: id, type: 'request', command, arguments: args })}\n`);
      });
    },
    stop: () => { child.kill(); },
  };
}

describe('snippet types in a real tsserver (the built plugin, found by package name)', () => {
  const built = path.join(repoRoot, 'node_modules', PLUGIN_NAME);

  it(`tsserver loads ${PLUGIN_NAME} from the extension's node_modules: no error in a loose snippet file; errors with the setting off`, async () => {
    assert.ok(existsSync(path.join(built, 'index.js')) && existsSync(path.join(built, DECLARATIONS_FILE_NAME)), `no built plugin in ${built}: run npm run build`);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { typescriptServerPlugins: Array<{ name: string }> } };
    assert.deepEqual(manifest.contributes.typescriptServerPlugins.map((plugin) => plugin.name), [PLUGIN_NAME]);
    const folder = mkdtempSync(path.join(tmpdir(), 'gg-types-'));
    const file = path.join(folder, 'train.ts');
    writeFileSync(file, TRAINING_SNIPPET);
    const server = startTsserver(['--globalPlugins', PLUGIN_NAME, '--pluginProbeLocations', repoRoot]);
    try {
      await server.request('open', { file, projectRootPath: folder });
      const errors = async () => ((await server.request('semanticDiagnosticsSync', { file })) as Array<{ text: string }>).map((diagnostic) => diagnostic.text);
      assert.deepEqual(await errors(), []);
      await server.request('configurePlugin', { pluginName: PLUGIN_NAME, configuration: { snippetTypes: 'off' } });
      assert.ok((await errors()).includes("Property 'backward' does not exist on type 'number'."));
      await server.request('configurePlugin', { pluginName: PLUGIN_NAME, configuration: { snippetTypes: 'auto' } });
      assert.deepEqual(await errors(), []);
    } finally {
      server.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('without the plugin, the same file has errors', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'gg-types-'));
    const file = path.join(folder, 'train.ts');
    writeFileSync(file, TRAINING_SNIPPET);
    const server = startTsserver([]);
    try {
      await server.request('open', { file, projectRootPath: folder });
      const errors = ((await server.request('semanticDiagnosticsSync', { file })) as Array<{ text: string }>).map((diagnostic) => diagnostic.text);
      assert.ok(errors.includes("Property 'backward' does not exist on type 'number'."), errors.join('\n'));
    } finally {
      server.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
