// Forms that talk to the API from the page: the browser's own submission (a reload) is replaced
// by `run`, so the form's required/pattern checks still run first.
import type { FormEvent } from "react";

export function submitInPage(run: () => void) {
  return (event: FormEvent) => {
    event.preventDefault();
    run();
  };
}
