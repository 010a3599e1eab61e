// WWW-Authenticate challenges (RFC 9110 §11.6.1): `DPoP error="use_dpop_nonce", algs="ES256",
// Bearer realm="api"` — schemes case-insensitive, parameters as tokens or quoted strings.

export interface Challenge {
  /** Lower-cased: "bearer", "dpop", … */
  scheme: string;
  /** Parameter names lower-cased. */
  parameters: Record<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// one item: a name with a value (token or quoted string), or a bare token (a scheme, or a token68)
const ITEM = `\\s*(?:(${TOKEN})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(${TOKEN}))|(${TOKEN}=*))\\s*(,?)`;

/** The challenges of one or more WWW-Authenticate header values (fetch joins them with ", "). */
export function parseChallenges(header: string | null): Challenge[] {
  const challenges: Challenge[] = [];
  const item = new RegExp(ITEM, "y");
  let current: Challenge | null = null;
  let afterScheme = false; // a bare item right after a scheme (no comma between) is its token68
  while (header && item.lastIndex < header.length) {
    const match = item.exec(header);
    if (!match) break; // malformed: keep what was understood
    const [, name, quoted, value, bare, comma] = match;
    if (bare !== undefined && current && afterScheme) {
      current.parameters[""] = bare;
      afterScheme = false;
    } else if (bare !== undefined) {
      challenges.push((current = { scheme: bare.toLowerCase(), parameters: {} }));
      afterScheme = !comma;
    } else if (current && name !== undefined) {
      current.parameters[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : value!;
      afterScheme = false;
    }
  }
  return challenges;
}

/** A resource server's request for a (new) nonce (RFC 9449 §9). */
export function asksForDPoPNonce(response: Response): boolean {
  return response.status === 401 && parseChallenges(response.headers.get("www-authenticate")).some((c) => c.scheme === "dpop" && c.parameters.error === "use_dpop_nonce");
}
