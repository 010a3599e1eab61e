// allow-anonymous: the explicit, loudly named way to open a proxy to callers without
// credentials. A chain without any authentication policy gets verify-access-token implied
// (secure by default); only this step switches that off.
import { authenticationPolicy, NoConfig } from "../policy.ts";

export const allowAnonymous = authenticationPolicy({ name: "allow-anonymous", configSchema: NoConfig });
