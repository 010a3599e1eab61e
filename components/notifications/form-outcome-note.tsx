// What the last native form did (?status=) or why it failed (?error=), read from the page's query.
import { StatusNote } from "@/components/ui/basics";

export function FormOutcomeNote({ status, error }: { status?: string | string[]; error?: string | string[] }) {
  if (typeof error === "string")
    return (
      <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        {error}
      </p>
    );
  return <StatusNote>{typeof status === "string" ? status : null}</StatusNote>;
}
