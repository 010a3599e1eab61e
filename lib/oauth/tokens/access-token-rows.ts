// The two hottest statements of the authorization server — storing an access token and finding
// one by its hash. Outside a transaction they run on the driver directly (lib/db/direct-sql.ts);
// inside one (a transaction's client) through Prisma's raw SQL, so they stay in it. Measured in
// bench/RESULTS.md ("Token endpoint"). Identifiers are quoted because PostgreSQL folds unquoted
// ones to lower case.
import type { Database } from "../../db/index.ts";
import { directSql } from "../../db/client.ts";
import { Prisma } from "../../db/generated/sqlite/client.ts";
import { timeOrderedId } from "../../db/time-ordered-id.ts";

export interface AccessTokenRow {
  id: string;
  tokenHash: string;
  appId: string;
  credentialId: string | null;
  userSub: string | null;
  scope: string;
  products: string;
  attributes: string;
  grantType: string;
  familyId: string | null;
  authCodeId: string | null;
  idTokenRecordId: string | null;
  /** RFC 8705 cnf.x5t#S256: the client certificate the token is bound to. */
  certificateThumbprint: string | null;
  /** RFC 8693 §4.1: the `act` claim (JSON) of a token issued by token exchange with an actor. */
  actor: string | null;
  /** RFC 9449 cnf.jkt: the DPoP key the token is bound to. */
  dpopJkt: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

type Raw = Pick<Database, "$executeRaw" | "$queryRaw">;

const COLUMNS = [
  "id",
  "tokenHash",
  "appId",
  "credentialId",
  "userSub",
  "scope",
  "products",
  "attributes",
  "grantType",
  "familyId",
  "authCodeId",
  "idTokenRecordId",
  "certificateThumbprint",
  "actor",
  "dpopJkt",
  "expiresAt",
  "createdAt",
] as const;
const SELECTED = [...COLUMNS, "revokedAt"].map((c) => `"${c}"`).join(", ");
const FIND = `SELECT ${SELECTED} FROM "access_tokens" WHERE "tokenHash" = $1`;

export async function insertAccessToken(db: Raw, row: Omit<AccessTokenRow, "id" | "revokedAt" | "createdAt">, now: Date): Promise<string> {
  const id = timeOrderedId(now.getTime());
  const values = [
    id,
    row.tokenHash,
    row.appId,
    row.credentialId,
    row.userSub,
    row.scope,
    row.products,
    row.attributes,
    row.grantType,
    row.familyId,
    row.authCodeId,
    row.idTokenRecordId,
    row.certificateThumbprint,
    row.actor,
    row.dpopJkt,
    row.expiresAt,
    now,
  ];
  const direct = directSql(db);
  if (direct) await direct.insert("access_tokens", COLUMNS, values);
  else await db.$executeRaw`INSERT INTO "access_tokens" (${Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(", "))}) VALUES (${Prisma.join(values)})`;
  return id;
}

export async function findAccessTokenByHash(db: Raw, tokenHash: string): Promise<AccessTokenRow | null> {
  const direct = directSql(db);
  const r = direct
    ? await direct.first(FIND, [tokenHash])
    : (await db.$queryRaw<Array<Record<string, unknown>>>`SELECT ${Prisma.raw(SELECTED)} FROM "access_tokens" WHERE "tokenHash" = ${tokenHash}`)[0];
  if (!r) return null;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return {
    id: String(r.id),
    tokenHash: String(r.tokenHash),
    appId: String(r.appId),
    credentialId: (r.credentialId as string | null) ?? null,
    userSub: (r.userSub as string | null) ?? null,
    scope: String(r.scope),
    products: String(r.products),
    attributes: String(r.attributes),
    grantType: String(r.grantType),
    familyId: (r.familyId as string | null) ?? null,
    authCodeId: (r.authCodeId as string | null) ?? null,
    idTokenRecordId: (r.idTokenRecordId as string | null) ?? null,
    certificateThumbprint: (r.certificateThumbprint as string | null) ?? null,
    actor: (r.actor as string | null) ?? null,
    dpopJkt: (r.dpopJkt as string | null) ?? null,
    expiresAt: date(r.expiresAt)!,
    revokedAt: date(r.revokedAt),
    createdAt: date(r.createdAt)!,
  };
}
