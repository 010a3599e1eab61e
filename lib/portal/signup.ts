// Self-registration: the account is created in Okta (which owns passwords and MFA); the
// developer profile follows at first sign-in, so a failed sign-up leaves nothing behind here.
// An email that already has an account gets the answer a new one gets, at the same time (both
// are held to what creating an account nearly always takes), and the existing account is left
// as it was: the form must not tell anyone who has an account here. (There is no mail path to
// tell the owner; with one, this is where it would go.)
import { z } from "zod";
import { createOktaUser } from "../okta/users-api.ts";
import type { OktaSettings } from "../okta/settings.ts";
import type { PortalContext } from "./context.ts";
import { ResponseTimeFloor } from "../security/response-time.ts";
import { PortalError } from "./errors.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { parseInput } from "./validation.ts";

export const SignUpInput = z
  .object({
    firstName: z.string().trim().min(1).max(50),
    lastName: z.string().trim().min(1).max(50),
    email: z.string().trim().toLowerCase().email().max(100),
    password: z.string().min(8, { error: "Password must be at least 8 characters." }).max(100),
    acceptTerms: z.literal(true, { error: "Accept the terms of use to create an account." }),
  })
  .strict();

/** What creating an account in Okta nearly always takes: no sign-up is answered sooner. */
const accountCreation = new ResponseTimeFloor(300);

export async function signUp(ctx: PortalContext, okta: OktaSettings, input: unknown, clientIp: string): Promise<{ email: string }> {
  const started = accountCreation.start();
  const data = parseInput(SignUpInput, input);
  await enforceFlowLimit(ctx, "signup", clientIp);
  const outcome = await createOktaUser(okta, data);
  if (outcome.ok) {
    accountCreation.record(started);
    await accountCreation.hold(started);
    return { email: data.email };
  }
  switch (outcome.reason) {
    case "duplicate":
      await accountCreation.hold(started);
      return { email: data.email };
    case "weak_password":
      throw new PortalError("invalid", outcome.message, { fields: { password: outcome.message } });
    case "invalid":
      throw new PortalError("invalid", outcome.message);
    case "unavailable":
      throw new PortalError("unavailable", outcome.message);
  }
}
