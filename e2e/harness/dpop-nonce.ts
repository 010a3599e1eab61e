// oauth4webapi with DPoP: a server that wants a nonce (RFC 9449 §8, §9) refuses the first proof
// with use_dpop_nonce and a DPoP-Nonce header, which the client's DPoP handle keeps.
import * as oauth from "oauth4webapi";

/** Runs `attempt`, and once more when the server asked for a DPoP nonce. */
export async function withNonceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return attempt();
    throw error;
  }
}
