"use client";
// Copies a value to the clipboard and says so in a live region. Hidden until hydrated: without
// script it could do nothing, and the value beside it is selectable text anyway. Where the
// Clipboard API is refused (no permission, plain http), it selects the target's text instead.
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "./hydrated";

export function CopyButton({ value, label, testId, targetId }: { value: string; label: string; testId?: string; targetId?: string }) {
  const ready = useHydrated();
  const [note, setNote] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const say = (text: string) => {
    setNote(text);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setNote(""), 4000);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      say("Copied");
    } catch {
      const target = targetId ? document.getElementById(targetId) : null;
      if (target) {
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      say(target ? "Selected: press Ctrl+C (⌘C) to copy" : "Copying failed: select the text and copy it");
    }
  };

  return (
    <span className="inline-flex items-center gap-2" hidden={!ready}>
      <button
        type="button"
        aria-label={label}
        title={label}
        data-testid={testId}
        onClick={() => void copy()}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50"
      >
        Copy
      </button>
      <span aria-live="polite" className="text-xs text-green-800">
        {note}
      </span>
    </span>
  );
}
