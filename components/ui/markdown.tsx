// Admin-written Markdown (guides, terms of use) rendered safely: GitHub-flavoured Markdown, no
// raw HTML at all (skipped, never passed through), and links or images only to http(s),
// mailto and relative URLs (react-markdown's defaultUrlTransform empties the rest, so
// `javascript:` never reaches an href). Headings start at h2: the page's own title is the h1.
import type { ComponentProps } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

const heading = (Tag: "h2" | "h3" | "h4", className: string) =>
  function Heading({ node: _node, ...props }: ComponentProps<"h2"> & { node?: unknown }) {
    return <Tag className={className} {...props} />;
  };

const COMPONENTS: Components = {
  h1: heading("h2", "mt-6 mb-3 text-xl font-semibold text-brand-900"),
  h2: heading("h3", "mt-5 mb-2 text-lg font-semibold text-brand-900"),
  h3: heading("h4", "mt-4 mb-2 font-semibold text-slate-900"),
  h4: heading("h4", "mt-4 mb-2 font-semibold text-slate-900"),
  h5: heading("h4", "mt-4 mb-2 font-semibold text-slate-900"),
  h6: heading("h4", "mt-4 mb-2 font-semibold text-slate-900"),
  p: ({ node: _node, ...props }) => <p className="my-3 leading-7" {...props} />,
  a: ({ node: _node, ...props }) => <a className="text-brand-700 underline hover:text-brand-900" rel="nofollow noopener noreferrer" {...props} />,
  ul: ({ node: _node, ...props }) => <ul className="my-3 list-disc space-y-1 pl-6" {...props} />,
  ol: ({ node: _node, ...props }) => <ol className="my-3 list-decimal space-y-1 pl-6" {...props} />,
  blockquote: ({ node: _node, ...props }) => <blockquote className="my-3 border-l-4 border-slate-300 pl-4 text-slate-600" {...props} />,
  // focusable: a code block wider than the screen scrolls, and keyboard users must reach it
  pre: ({ node: _node, ...props }) => <pre tabIndex={0} className="my-3 overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-100" {...props} />,
  code: ({ node: _node, ...props }) => (
    <code className="rounded bg-slate-100 px-1 font-mono text-sm text-slate-900 [pre_&]:bg-transparent [pre_&]:p-0 [pre_&]:text-slate-100" {...props} />
  ),
  table: ({ node: _node, ...props }) => (
    <div className="my-3 overflow-x-auto" tabIndex={0}>
      <table className="min-w-full border-collapse text-sm" {...props} />
    </div>
  ),
  th: ({ node: _node, ...props }) => <th className="border border-slate-300 bg-slate-50 px-2 py-1 text-left" {...props} />,
  td: ({ node: _node, ...props }) => <td className="border border-slate-300 px-2 py-1" {...props} />,
  // an image whose URL the transform refused (emptied) is left out rather than pointing at the page itself
  img: ({ node: _node, alt, src, ...props }) =>
    // eslint-disable-next-line @next/next/no-img-element -- an author's image URL, already filtered by the url transform
    src ? <img className="my-3 max-w-full" alt={alt ?? ""} src={src} {...props} /> : null,
};

export function Markdown({ children, className }: { children: string; className?: string }) {
  return (
    <div className={`min-w-0 break-words text-slate-800 ${className ?? ""}`}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml urlTransform={defaultUrlTransform} components={COMPONENTS}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
