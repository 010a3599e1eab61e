// gatehouse guides: Markdown guides for the whole portal or one product.
import { parseInteger, parseOnOff, readText, type Opts } from "../args.ts";
import { UsageError } from "../errors.ts";
import type { ApiClient } from "../http-client.ts";
import { listCommand, seg, type Group } from "../command.ts";
import { columnsOf, details } from "../output.ts";

interface Guide {
  id: string;
  slug: string;
  title: string;
  body: string;
  productId: string | null;
  product: { slug: string; name: string } | null;
  position: number;
  published: boolean;
}

const columns = columnsOf<Guide>({ id: "id", slug: "slug", title: "title", product: (g) => g.product?.slug ?? "(portal)", position: "position", published: "published" });

const FIELD_OPTIONS = {
  slug: { type: "string" },
  title: { type: "string" },
  "body-file": { type: "string" },
  product: { type: "string" },
  position: { type: "string" },
  published: { type: "string" },
} as const;
const FIELD_USAGE = "[--body-file guide.md] [--product ID|SLUG|none] [--position N] [--published on|off]";

function guideBody(opts: Opts): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (opts.has("slug")) body.slug = opts.string("slug");
  if (opts.has("title")) body.title = opts.string("title");
  if (opts.has("body-file")) body.body = readText("body-file", opts.string("body-file")!);
  if (opts.has("product")) body.productId = opts.string("product") === "none" ? null : opts.string("product");
  if (opts.has("position")) body.position = parseInteger("position", opts.string("position")!);
  if (opts.has("published")) body.published = parseOnOff("published", opts.string("published")!);
  return body;
}

const show = (g: Guide) => `${details({ ...g, body: undefined, product: g.product?.slug ?? "(portal)" }, ["body"])}\n\n${g.body}`;

/** Guides are addressed by id or slug on the command line; changes need the id. */
const resolveGuide = (client: ApiClient, ref: string) => client.get<Guide>(`/guides/${seg(ref)}`);

export const guides: Group = {
  summary: "Guides: Markdown pages for the portal or one product",
  commands: {
    list: listCommand<Guide>("/guides", columns, {
      summary: "List guides",
      filters: { product: { param: "productId", value: "ID|SLUG" }, scope: { choices: ["portal", "all"] } },
    }),
    show: {
      summary: "Show one guide with its text",
      args: ["<id|slug>"],
      async run({ client, args }) {
        const g = await resolveGuide(client, args[0]!);
        return { data: g, text: show(g) };
      },
    },
    create: {
      summary: "Write a guide",
      usage: `--slug S --title T ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, opts }) {
        const body = guideBody(opts);
        if (!body.slug || !body.title) throw new UsageError("--slug and --title are required");
        const g = await client.post<Guide>("/guides", body);
        return { data: g, text: `Created guide ${g.slug} (${g.id})` };
      },
    },
    update: {
      summary: "Change the given fields of a guide",
      args: ["<id|slug>"],
      usage: `[--slug S] [--title T] ${FIELD_USAGE}`,
      options: FIELD_OPTIONS,
      async run({ client, args, opts }) {
        const body = guideBody(opts);
        if (Object.keys(body).length === 0) throw new UsageError("nothing to change: give at least one option");
        const { id } = await resolveGuide(client, args[0]!);
        const g = await client.patch<Guide>(`/guides/${seg(id)}`, body);
        return { data: g, text: `Updated guide ${g.slug} (${g.id})` };
      },
    },
    delete: {
      summary: "Delete a guide",
      args: ["<id|slug>"],
      async run({ client, args }) {
        const { id, slug } = await resolveGuide(client, args[0]!);
        await client.delete(`/guides/${seg(id)}`);
        return { data: undefined, text: `Deleted guide ${slug} (${id})` };
      },
    },
  },
};
