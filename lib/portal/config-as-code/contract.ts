// Declarative configuration: what `gatehouse config export|diff|apply` and /api/v1/config
// exchange. The file names what an organisation configures (products, proxies, virtual
// patches, bot rules, branding, guides), each by its natural key — never by database id, and
// never a secret — so one file describes any installation and a review diff stays small.

/** One input file: its name (shown in errors) and its YAML text. A directory is several. */
export interface ConfigFile {
  name: string;
  text: string;
}

/** Where an input file is wrong: the file, the 1-based line and column when known, the field
 * as a dotted path ("proxies[2].policies[0].config.limit") and a sentence. */
export interface ConfigIssue {
  file: string;
  line: number | null;
  column: number | null;
  path: string;
  message: string;
}

/** The file(s) cannot be applied; nothing was changed. */
export class ConfigFileInvalid extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    const first = issues[0];
    super(first ? `${first.file}${first.line ? `:${first.line}` : ""}: ${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid configuration");
    this.name = "ConfigFileInvalid";
  }
}

export type ConfigResourceKind = "product" | "proxy" | "virtual_patch" | "bot_rule" | "branding" | "guide";

/** One field that differs: its dotted path inside the resource, the value now and the value in the file. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** One resource that would be (or was) created, updated or deleted. */
export interface ConfigChange {
  kind: ConfigResourceKind;
  /** The natural key: a product's slug, a proxy's "basePath@version", a rule's name, a guide's slug, "branding". */
  key: string;
  action: "create" | "update" | "delete";
  /** For updates, every changed field; for creates and deletes, empty. */
  fields: FieldChange[];
}

export interface ConfigApplyOptions {
  /** Delete what the file does not name (of the kinds the file manages). */
  prune: boolean;
}
