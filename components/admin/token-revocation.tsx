"use client";
// Revoke every token of an end user (their Okta user id, across all apps) or of a developer's
// apps: a form posting to a server action, which asks before it acts.
import { revokeTokensAction } from "@/app/admin/actions";
import { inputClass } from "../ui/basics";
import { ConfirmAction } from "../ui/confirm-action";

export function TokenRevocation() {
  return (
    <div className="max-w-xl">
      <ConfirmAction
        action={revokeTokensAction}
        label="Revoke all tokens…"
        confirm="Yes, revoke them all"
        consequence="Every access and refresh token of this end user (across all apps) or of every app of this developer is revoked at once; they must sign in again."
        lead={
          <div className="mb-4 space-y-4">
            <fieldset className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
              <legend className="mb-1 font-medium">Whose tokens</legend>
              <label>
                <input type="radio" name="kind" value="userSub" defaultChecked /> An end user (Okta user id / token subject)
              </label>
              <label>
                <input type="radio" name="kind" value="developerId" /> Every app of a developer (developer id)
              </label>
            </fieldset>
            <label className="block text-sm">
              Identifier
              <input name="identifier" className={inputClass} required />
            </label>
          </div>
        }
      />
    </div>
  );
}
