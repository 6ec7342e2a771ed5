import { Node, SyntaxKind, ts } from '../src/tsm.js';
import type { BinaryExpression, CallExpression, NewExpression, ts as TS } from 'ts-morph';
import { findNodes } from '../src/migration/find.js';
import { isGeminiSdkSpecifier } from '../src/sdk-imports.js';
import { sdkExportOf, sdkLocalNames, sdkMethodOwner } from '../src/migration/sdk-symbols.js';
import { handedInValue, type HandedIn } from '../src/migration/handed-in.js';
import { TODO_PREFIX, TODO_REASONS } from '../src/todo-reasons.js';
import { hasTodoAbove } from '../src/todo-emitter.js';
import type { Transform, TransformContext } from '../src/types.js';

/** genai stream and chat methods: generate-content migrates them or says why not; what it did not reach is marked here. */
const GENAI_LATER = new Set(['generateContentStream', 'sendMessage', 'sendMessageStream']);

/** Legacy `GenerativeModel` methods: a call left on one of them means the model could not be migrated. */
const MODEL_METHODS = new Set(['generateContent', 'generateContentStream', 'startChat', 'countTokens', 'embedContent', 'batchEmbedContents']);

/**
 * The safety net after the API transforms: what is still legacy gets a TODO, so `--check --strict` cannot pass
 * while legacy code remains silently.
 */
export const legacyRemnants: Transform = {
  id: 'legacy-remnants',
  summary:
    'Marks what is still on a legacy API after the other transforms: instanceof checks of legacy error classes, file and cache managers, old genai streams and chats, and legacy imports no other TODO explains.',
  example: {
    before: 'if (e instanceof GoogleGenerativeAIFetchError && e.status === 429) retry();',
    after: [
      '// TODO(migrate-interactions): ai.interactions does not throw the legacy error classes: this check never matches after the migration',
      'if (e instanceof GoogleGenerativeAIFetchError && e.status === 429) retry();',
    ].join('\n'),
  },
  docs: {
    rewrites: [
      'Changes no code: it runs after the API transforms and marks what they left on a legacy API, so that',
      '`--check --strict` cannot pass while legacy code remains unexplained:',
      '',
      '- `instanceof` checks of the legacy error classes (`GoogleGenerativeAIFetchError`, ...): `ai.interactions`',
      '  throws other, unexported classes, so the check would silently never match;',
      '- `GoogleAIFileManager` and `GoogleAICacheManager`;',
      '- `@google/genai` streams (`models.generateContentStream`) and chats (`chats.create`, `sendMessage`) that',
      '  generate-content neither migrated nor marked (a chat passed in as a parameter, for instance);',
      '- a legacy model or client this module does not create but is handed (injected with `@Inject(TOKEN)`, a constructor or',
      '  function parameter): the TODO stands where it comes in, since its creator is what must change;',
      '- an import of `@google/generative-ai` that no other TODO in the file explains (a type, a model from elsewhere).',
    ].join('\n'),
    examples: ['error-classes', 'injected-model', 'pipeline-nest-injected-model'],
    options: '- `--skip legacy-remnants`: leave these unmarked (then `--strict` no longer sees them).',
    todos: {
      'error-class': 'An `instanceof` test of a legacy error class.',
      'manager-not-migrated': 'A legacy file or cache manager is created.',
      'genai-call-not-migrated': 'An old `@google/genai` stream or chat call that no other TODO explains.',
      'model-handed-in': 'A legacy model used here arrives through an injected or constructor parameter, a field set from one, or a function parameter.',
      'client-handed-in': 'The same for a legacy client whose models are made here (`this.genAI.getGenerativeModel(...)`).',
      'legacy-import-remains': 'A legacy import with no other TODO in the file to explain it.',
    },
  },
  // It only adds TODO lines: model-id-swap reads the same parse (see the registry).
  marksOnly: true,
  run(ctx) {
    let marked = 0;
    const todo: TransformContext['todo'] = (node, reason, detail) => {
      marked++;
      ctx.todo(node, reason, detail);
    };
    const sf = ctx.sourceFile;
    const names = sdkLocalNames(sf);
    const namesSdk = (e: TS.Expression) => names.has((ts.isPropertyAccessExpression(e) ? e.expression : e).getText(sf.compilerNode));
    const instanceChecks = findNodes<BinaryExpression>(sf, SyntaxKind.BinaryExpression, (n) => {
      const b = n as TS.BinaryExpression;
      return b.operatorToken.kind === SyntaxKind.InstanceOfKeyword && namesSdk(b.right);
    });
    for (const bin of instanceChecks) {
      const target = sdkExportOf(bin.getRight());
      if (target?.sdk === 'legacy' && /Error$/.test(target.name)) todo(bin, 'error-class', target.name);
    }
    for (const created of findNodes<NewExpression>(sf, SyntaxKind.NewExpression, (n) => namesSdk((n as TS.NewExpression).expression))) {
      const target = sdkExportOf(created.getExpression());
      if (target?.sdk !== 'legacy' || !/^GoogleAI(File|Cache)Manager$/.test(target.name)) continue;
      if (target.name === 'GoogleAIFileManager' && hasTodoAbove(created)) continue; // file-manager said why it stayed
      todo(created, 'manager-not-migrated', target.name);
    }
    const laterCalls = findNodes<CallExpression>(sf, SyntaxKind.CallExpression, (n) => {
      const callee = (n as TS.CallExpression).expression;
      return ts.isPropertyAccessExpression(callee) && (GENAI_LATER.has(callee.name.text) || callee.name.text === 'create');
    });
    for (const call of laterCalls) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const owner = sdkMethodOwner(callee.getNameNode());
      if (owner?.sdk !== 'genai') continue;
      const method = callee.getName();
      if (hasTodoAbove(call)) continue; // generate-content said why it stayed
      if ((owner.owner === 'Models' && GENAI_LATER.has(method)) || owner.owner === 'Chats' || (owner.owner === 'Chat' && GENAI_LATER.has(method))) {
        todo(call, 'genai-call-not-migrated', `${owner.owner === 'Models' ? 'models' : owner.owner === 'Chats' ? 'chats' : 'chat'}.${method}`);
      }
    }
    // Legacy models and clients this module is handed: one TODO where each comes in, naming the methods still called on it.
    const handedIn = new Map<Node, HandedIn & { methods: Set<string>; client: boolean }>();
    const modelCalls = findNodes<CallExpression>(sf, SyntaxKind.CallExpression, (n) => {
      const callee = (n as TS.CallExpression).expression;
      return ts.isPropertyAccessExpression(callee) && (MODEL_METHODS.has(callee.name.text) || callee.name.text === 'getGenerativeModel');
    });
    for (const call of modelCalls) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || hasTodoAbove(call)) continue;
      const owner = sdkMethodOwner(callee.getNameNode());
      if (owner?.sdk !== 'legacy' || (owner.owner !== 'GenerativeModel' && owner.owner !== 'GoogleGenerativeAI')) continue;
      const entry = handedInValue(callee.getExpression());
      if (!entry) continue;
      const seen = handedIn.get(entry.node) ?? { ...entry, methods: new Set<string>(), client: owner.owner === 'GoogleGenerativeAI' };
      seen.methods.add(callee.getName());
      handedIn.set(entry.node, seen);
    }
    for (const { node, how, methods, client } of handedIn.values()) todo(node, client ? 'client-handed-in' : 'model-handed-in', `${how}; ${[...methods].join(', ')}`);
    // A legacy import no TODO in the file explains: name what it still brings in (its own line from an earlier run
    // does not count as an explanation, so a second run reports it again).
    const own = TODO_PREFIX + TODO_REASONS['legacy-import-remains'].message;
    const explained = sf.getFullText().split('\n').some((line) => line.includes(TODO_PREFIX) && !line.includes(own));
    if (marked === 0 && !explained) {
      for (const decl of sf.getImportDeclarations()) {
        const spec = decl.getModuleSpecifierValue();
        if (!isGeminiSdkSpecifier(spec) || !spec.startsWith('@google/generative-ai')) continue;
        const names = [decl.getDefaultImport()?.getText(), decl.getNamespaceImport()?.getText(), ...decl.getNamedImports().map((n) => n.getName())];
        ctx.todo(decl, 'legacy-import-remains', names.filter(Boolean).join(', '));
      }
      for (const stmt of sf.getVariableStatements()) {
        const init = stmt.getDeclarations()[0]?.getInitializer();
        if (Node.isCallExpression(init) && init.getExpression().getText() === 'require' && /^['"]@google\/generative-ai/.test(init.getArguments()[0]?.getText() ?? '')) {
          ctx.todo(stmt, 'legacy-import-remains', stmt.getDeclarations()[0]!.getNameNode().getText());
        }
      }
    }
    return [];
  },
};
