// The strings of an XML document that an application reads (text, CDATA, attribute names and
// values, element names, comments, processing instructions and the DTD itself), streamed through
// saxes, which never fetches or expands external entities.
import { SaxesParser } from "saxes";

class Stop extends Error {}

/** Hands each string to `visit` until it returns true; "malformed" when saxes gives up first. */
export function visitXmlStrings(text: string, visit: (value: string) => boolean): "hit" | "clean" | "malformed" {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const see = (value: string) => {
    if (value && visit(value)) throw new Stop();
  };
  parser.on("doctype", see);
  parser.on("text", (value) => see(value.trim()));
  parser.on("cdata", see);
  parser.on("comment", see);
  parser.on("processinginstruction", (pi) => see(pi.body));
  parser.on("opentagstart", (tag) => see(tag.name));
  parser.on("attribute", (attribute) => {
    see(attribute.name);
    see(attribute.value);
  });
  parser.on("error", (error) => {
    throw error;
  });
  try {
    parser.write(text).close();
    return "clean";
  } catch (error) {
    return error instanceof Stop ? "hit" : "malformed";
  }
}
