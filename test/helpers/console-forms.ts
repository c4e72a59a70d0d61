// The forms of a console page by where they post (the first form of every console page is the
// sign-out in its frame).
import { readForm, type Form, type Page } from './user-agent.ts';

/** The form of `page` posting to `action` (with these hidden values, when given); throws when there is none. */
export function formTo(page: Page, action: string, values: Record<string, string> = {}): Form {
  const count = [...page.body.matchAll(/<form\b/gi)].length;
  for (let index = 0; index < count; index += 1) {
    const form = readForm(page, undefined, index);
    if (form.action === action && Object.entries(values).every(([name, value]) => form.fields[name] === value)) return form;
  }
  throw new Error(`no form posting to ${action} on ${page.url} (status ${page.status})`);
}

/** Whether `page` has a form posting to `action`. */
export function hasFormTo(page: Page, action: string, values: Record<string, string> = {}): boolean {
  try {
    formTo(page, action, values);
    return true;
  } catch {
    return false;
  }
}
