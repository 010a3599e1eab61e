// gatehouse branding: the portal's organisation name, tagline, colours, terms of use and logo.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { readText } from "../args.ts";
import { UsageError } from "../errors.ts";
import type { Group } from "../command.ts";
import { details } from "../output.ts";

interface Branding {
  organisation: string;
  tagline: string;
  primaryColor: string;
  accentColor: string;
  termsMarkdown: string;
  logoUrl: string | null;
}

const show = (b: Branding) => details({ ...b, termsMarkdown: b.termsMarkdown ? `${b.termsMarkdown.length} characters` : "(default)" });

// The server judges the file by its bytes; the extension only names what it should be.
const TYPE_OF_EXTENSION: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".svg": "image/svg+xml" };

export const branding: Group = {
  summary: "The portal's branding: organisation, tagline, colours, terms, logo",
  default: "show",
  commands: {
    show: {
      summary: "Show the branding",
      async run({ client }) {
        const b = await client.get<Branding>("/branding");
        return { data: b, text: show(b) };
      },
    },
    set: {
      summary: "Change the given settings",
      usage: "[--organisation NAME] [--tagline T] [--primary-color #rrggbb] [--accent-color #rrggbb] [--terms-file terms.md]",
      options: {
        organisation: { type: "string" },
        tagline: { type: "string" },
        "primary-color": { type: "string" },
        "accent-color": { type: "string" },
        "terms-file": { type: "string" },
      },
      async run({ client, opts }) {
        const body: Record<string, string> = {};
        if (opts.has("organisation")) body.organisation = opts.string("organisation")!;
        if (opts.has("tagline")) body.tagline = opts.string("tagline")!;
        if (opts.has("primary-color")) body.primaryColor = opts.string("primary-color")!;
        if (opts.has("accent-color")) body.accentColor = opts.string("accent-color")!;
        if (opts.has("terms-file")) body.termsMarkdown = readText("terms-file", opts.string("terms-file")!);
        if (Object.keys(body).length === 0) throw new UsageError("nothing to change: give at least one option");
        const b = await client.put<Branding>("/branding", body);
        return { data: b, text: show(b) };
      },
    },
    logo: {
      summary: "Upload the logo (PNG, JPEG, WebP or SVG, at most 256 KiB)",
      args: ["<file>"],
      async run({ client, args }) {
        const file = args[0]!;
        const type = TYPE_OF_EXTENSION[extname(file).toLowerCase()];
        if (!type) throw new UsageError(`${file}: the logo must be a .png, .jpg, .webp or .svg file`);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
        }
        const b = await client.putBytes<Branding>("/branding/logo", bytes, type);
        return { data: b, text: `Logo uploaded; served at ${b.logoUrl}` };
      },
    },
    "remove-logo": {
      summary: "Remove the logo",
      async run({ client }) {
        const b = await client.delete<Branding>("/branding/logo");
        return { data: b, text: "Logo removed" };
      },
    },
  },
};
