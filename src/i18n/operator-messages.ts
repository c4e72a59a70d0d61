// The operator console's words (SPEC R10; SPEC §6: Vietnamese first, English second), kept
// apart from the citizen pages' catalogue so each area of the product owns its sentences.
// Merged into the catalogues by index.ts; `en` is typed by `vi`, so a key missing in either fails
// the type check.
const vi = {
  'console.title': 'Bảng điều khiển quản trị',
} satisfies Record<string, string>;

const en: Record<keyof typeof vi, string> = {
  'console.title': 'Operator console',
};

export const operatorMessages = { vi, en };
export type OperatorMessageKey = keyof typeof vi;
