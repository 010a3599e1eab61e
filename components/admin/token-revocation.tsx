"use client";
// Revoke every token of an end user (their Okta user id, across all apps) or of a developer's apps.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api-client";
import { dangerButtonClass, ErrorNote, inputClass, StatusNote } from "../ui/basics";
import { submitInPage } from "../ui/submit-in-page";

export function TokenRevocation() {
  const [kind, setKind] = useState<"userSub" | "developerId">("userSub");
  const [value, setValue] = useState("");
  const revoke = useMutation({ mutationFn: () => api<{ revoked: number }>("/tokens/revoke", { method: "POST", body: { [kind]: value.trim() } }) });
  return (
    <form className="max-w-xl space-y-4" onSubmit={submitInPage(() => revoke.mutate())}>
      <fieldset className="space-x-6 text-sm">
        <legend className="mb-1 font-medium">Whose tokens</legend>
        <label>
          <input type="radio" checked={kind === "userSub"} onChange={() => setKind("userSub")} /> An end user (Okta user id / token subject)
        </label>
        <label>
          <input type="radio" checked={kind === "developerId"} onChange={() => setKind("developerId")} /> Every app of a developer (developer id)
        </label>
      </fieldset>
      <label className="block text-sm">
        Identifier
        <input className={inputClass} value={value} onChange={(e) => setValue(e.target.value)} required />
      </label>
      <button type="submit" className={dangerButtonClass} disabled={revoke.isPending}>
        Revoke all tokens
      </button>
      <ErrorNote error={revoke.error} />
      {revoke.isSuccess ? <StatusNote>{revoke.data.revoked} token(s) revoked.</StatusNote> : null}
    </form>
  );
}
