// What a form's server action answers when it does not move on: plain messages per field and
// for the form, and the values to put back so nothing typed is lost (never a password).
// Plain data, shared by the actions (server) and the forms (client).
export interface FormState {
  fieldErrors?: Record<string, string>;
  formError?: string;
  values?: Record<string, string | string[]>;
  /** Counts submissions, so a form can tell a new answer from the one before. */
  attempt?: number;
}

export const INITIAL_FORM_STATE: FormState = {};

/** The message for a field: its own, or the first of its parts ("redirectUris.0"). */
export function fieldError(state: FormState, field: string): string | undefined {
  const errors = state.fieldErrors ?? {};
  return errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(`${field}.`))?.[1];
}

/** The value the form held when it was sent back, else the given default. */
export function keptValue(state: FormState, field: string, fallback = ""): string {
  const value = state.values?.[field];
  return typeof value === "string" ? value : fallback;
}

export function keptValues(state: FormState, field: string, fallback: string[] = []): string[] {
  const value = state.values?.[field];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : fallback;
}
