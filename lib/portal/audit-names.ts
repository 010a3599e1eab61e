// Names for the ids an audit page shows: its actors (developers, admins) and its targets, found
// with one query per kind of target on the page. A target deleted since keeps only its id.
import type { Database } from "../db/index.ts";

export interface AuditRef {
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
}

export interface Person {
  name: string;
  email: string;
}

/** How an audit row names who acted: the person if known, else Gatehouse itself, else the raw id. */
export function actorLabel(actorType: string, actorId: string | null, person: Person | undefined): string {
  if (person) return `${person.name} <${person.email}>`;
  if (!actorId) return actorType === "system" ? "Gatehouse" : actorType;
  return actorId;
}

/** The ids of one page's rows, by the kind of thing they name (actors are developers). */
export function idsByKind(rows: AuditRef[]): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  const add = (kind: string, id: string) => (kinds.get(kind) ?? kinds.set(kind, new Set()).get(kind)!).add(id);
  for (const row of rows) {
    if (row.actorId) add("developer", row.actorId);
    if (row.targetType && row.targetId) add(row.targetType, row.targetId);
  }
  return kinds;
}

type Lookup = (db: Database, ids: string[]) => Promise<Array<{ id: string; label: string }>>;

// The audited kinds besides developers that have a name worth showing; others (end users,
// security rules) keep their id.
const LOOKUPS: Record<string, Lookup> = {
  app: async (db, ids) => (await db.app.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((a) => ({ id: a.id, label: a.name })),
  credential: async (db, ids) =>
    (await db.credential.findMany({ where: { id: { in: ids } }, select: { id: true, clientId: true, app: { select: { name: true } } } })).map((c) => ({
      id: c.id,
      label: `${c.clientId} of ${c.app.name}`,
    })),
  team: async (db, ids) => (await db.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((t) => ({ id: t.id, label: t.name })),
  product: async (db, ids) => (await db.apiProduct.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => ({ id: p.id, label: p.name })),
  proxy: async (db, ids) => (await db.apiProxy.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => ({ id: p.id, label: p.name })),
  admin_api_key: async (db, ids) => (await db.adminApiKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((k) => ({ id: k.id, label: k.name })),
  initial_access_token: async (db, ids) =>
    (await db.initialAccessToken.findMany({ where: { id: { in: ids } }, select: { id: true, label: true } })).map((t) => ({ id: t.id, label: t.label })),
  subscription: async (db, ids) =>
    (await db.subscription.findMany({ where: { id: { in: ids } }, select: { id: true, app: { select: { name: true } }, product: { select: { name: true } } } })).map((s) => ({
      id: s.id,
      label: `${s.app.name} → ${s.product.name}`,
    })),
};

/** `kind:id` → label for every nameable id of `rows`, in one query per kind present. */
export async function auditNames(db: Database, rows: AuditRef[]): Promise<{ person: Map<string, Person>; label: Map<string, string> }> {
  const kinds = idsByKind(rows);
  const label = new Map<string, string>();
  const person = new Map<string, Person>();
  await Promise.all(
    [...kinds].map(async ([kind, ids]) => {
      if (kind === "developer") {
        const people = await db.developer.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } });
        for (const p of people) {
          person.set(p.id, { name: p.name, email: p.email });
          label.set(`developer:${p.id}`, `${p.name} <${p.email}>`);
        }
        return;
      }
      const lookup = LOOKUPS[kind];
      if (!lookup) return;
      for (const found of await lookup(db, [...ids])) label.set(`${kind}:${found.id}`, found.label);
    }),
  );
  return { person, label };
}
