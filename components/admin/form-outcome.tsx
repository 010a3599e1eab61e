import { StatusNote } from "../ui/basics";

/** What the last native form post did (?status=) or why it failed (?error=), read from the page's URL. */
export function FormOutcome({ status, error }: { status?: string | string[]; error?: string | string[] }) {
  const first = (v?: string | string[]) => (Array.isArray(v) ? v[0] : v);
  const message = first(error);
  if (message)
    return (
      <p role="alert" data-testid="form-error" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        {message}
      </p>
    );
  return <StatusNote>{first(status)}</StatusNote>;
}
