// Types for server.mjs (kept as plain JS so `node` runs it without a build step).

export type RequestKind =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'countTokens'
  | 'embedContent'
  | 'batchEmbedContents'
  | 'interactions.create'
  | 'interactions.get'
  | 'unknown';

export interface RecordedRequest {
  method: string;
  /** e.g. `/v1beta/models/gemini-1.5-flash:generateContent`, `/v1/interactions` */
  path: string;
  query: Record<string, string>;
  /** Lower-cased request headers, as Node received them. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when empty). */
  body: any;
  kind: RequestKind;
  /** HTTP status the fake answered with. */
  status: number;
  /** Protocol smells that did not fail the request, e.g. "function_result sent without tools (...)". */
  warnings: string[];
}

export interface FakeGeminiOptions {
  /** Unary Interactions responses start `steps` with the `user_input` step(s) of the request. Default true. */
  echoUserInput?: boolean;
  /** Interactions streams put the first text chunk in the `model_output` `step.start`. Default true. */
  textInStepStart?: boolean;
  /** Answer 401 when neither `x-goog-api-key` nor `?key=` is sent. Default true. */
  requireApiKey?: boolean;
}

export interface FakeGemini {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Every request except the `/__fake/*` control endpoints, in arrival order. */
  requests: RecordedRequest[];
  /** Forgets recorded requests and stored interactions. */
  reset(): void;
  close(): Promise<void>;
}

export function startFakeGemini(options?: FakeGeminiOptions): Promise<FakeGemini>;

/** Absolute path of preload.mjs (for `node --import`). */
export const PRELOAD: string;
/** The API key `fakeGeminiEnv` sets. */
export const FAKE_API_KEY: string;
/**
 * `base` (default `process.env`) plus FAKE_GEMINI_URL, GOOGLE_GEMINI_BASE_URL and GEMINI_API_KEY, with the
 * variables that would steer genai elsewhere set to undefined (spawn drops them).
 */
export function fakeGeminiEnv(url: string, base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
