import type { NextRequest } from "next/server";
import { signOutResponse } from "@/lib/auth/sign-out";

/** POST only (a form in the header): ends the portal and the Okta session. */
export const POST = (request: NextRequest) => signOutResponse(request);
