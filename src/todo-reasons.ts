/**
 * The closed list of reasons a transform may leave code for a person. Every TODO comment the tool writes is
 * `// TODO(migrate-interactions): <message>`, and every report entry carries the reason id.
 * Add a reason here (with what to do by hand) before a transform may use it.
 */
export const TODO_REASONS = {
  'model-id-unsupported': {
    message: 'this model has no Interactions equivalent; choose a current model by hand',
    manual:
      'Image-generation, Live, TTS and AQA models are not chat models: pick a current model of the same kind (for images gemini-2.5-flash-image or gemini-3.1-flash-image) and check the call still fits.',
  },
  'model-id-dynamic': {
    message: 'deprecated model id built at run time; check the value it takes',
    manual:
      'The model id comes from a template literal with substitutions; make sure it no longer produces a gemini-1.x/2.0 id.',
  },
  'model-id-typed': {
    message: 'deprecated model id kept: its declared type does not accept the new id',
    manual:
      'The id is checked against a union of string literals (a type of your own). Add the new id to that type, then replace the id.',
  },
  'model-id-compared': {
    message: 'compares with a deprecated model id that was replaced elsewhere in this file',
    manual:
      'The model value this code tests was swapped, so the comparison may never match again: compare with the new id, or with both.',
  },
  'model-id-list-duplicates': {
    message: 'deprecated model ids in this list now map to the same id',
    manual: 'Several entries became the same model id (a picker or fallback list would repeat it): remove the duplicates or map them with --model-map.',
  },
} as const satisfies Record<string, { message: string; manual: string }>;

export type TodoReason = keyof typeof TODO_REASONS;

export const TODO_PREFIX = '// TODO(migrate-interactions): ';

export function todoComment(reason: TodoReason, detail?: string): string {
  const { message } = TODO_REASONS[reason];
  return TODO_PREFIX + (detail ? `${message} (${detail})` : message);
}
