// Reading a native form's fields in route handlers: one string per name, trimmed; absent is "".
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}
