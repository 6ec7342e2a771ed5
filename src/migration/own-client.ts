import { Node } from '../tsm.js';
import type { Factory, ModelUse } from './factories.js';
import type { Slot } from './slots.js';
import type { Blocker } from './config-map.js';
import { reindent } from './config-map.js';

/**
 * A factory that makes its own client: `function getModel() { const genAI = new GoogleGenerativeAI(key); return
 * genAI.getGenerativeModel({...}) }`. The key is read when the factory runs (often after `dotenv.config()`), so the
 * client must stay inside it: the factory returns `{ client, settings }`, and each model kept from it is called as
 * `m.client.interactions.create({ ...m.settings, input })`. A call used in place (`getModel().generateContent(x)`)
 * would need its result twice, so it is refused with a TODO saying how to keep it in a variable first.
 */

/** Whether the client is a local of the factory itself. */
export function makesOwnClient(factory: Factory | undefined, clientSlot: Slot): factory is Factory {
  return factory !== undefined && clientSlot.kind === 'variable' && clientSlot.holder.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === factory.fn;
}

/**
 * Where each model from such a factory finds its client and settings, by use: only `m.generateContent(x)` on a
 * model kept in a variable of its own (declared without a type, or typed where only inference can follow) migrates.
 */
export function ownClientUses(factory: Factory, uses: ModelUse[], holders: Slot[], blockers: Blocker[]): Map<Node, { client: string; settings: string } | undefined> {
  const name = factory.slot.name.getText();
  /** Each model call on the factory's models: where it finds client and settings, or undefined when refused here. */
  const out = new Map<Node, { client: string; settings: string } | undefined>();
  for (const holder of holders) {
    if (holder.kind === 'field' && holder.typeNode) blockers.push({ node: holder.holder, reason: 'model-used-elsewhere', detail: `${holder.access} is declared with a model type, and ${name}() now returns its client and settings` });
  }
  for (const { use } of uses) {
    const access = use?.getParent();
    const method = Node.isPropertyAccessExpression(access) && access.getExpression() === use ? access : undefined;
    if (!use || !method) continue; // passed on, put in an object...: refused where the uses are followed
    out.set(use, undefined);
    if (Node.isCallExpression(use)) {
      blockers.push({ node: use, reason: 'model-used-elsewhere', detail: `${name}() makes its own client: keep its model in a variable (const model = ${use.getText()}) so that its client and settings can both be read, then run again` });
    } else if (method.getName() !== 'generateContent' || method.hasQuestionDotToken()) {
      blockers.push({ node: use, reason: 'model-used-elsewhere', detail: `${method.getName()}() on a model whose factory ${name}() makes its own client` });
    } else {
      out.set(use, { client: `${use.getText()}.client`, settings: `${use.getText()}.settings` });
    }
  }
  return out;
}

/** What the factory returns instead of the model: its client beside the settings, laid out like them. */
export function clientAndSettings(client: string, settings: string, indent: string, unit: string): string {
  if (!settings.includes('\n')) return `{ client: ${client}, settings: ${settings} }`;
  return `{\n${indent}${unit}client: ${client},\n${indent}${unit}settings: ${reindent(settings, indent, indent + unit)},\n${indent}}`;
}
