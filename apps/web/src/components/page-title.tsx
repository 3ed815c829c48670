import { countedTitle, useTitleCount } from '../lib/title-count';

/** The document title of a signed-in page (React puts it in `<head>`), led by the count of what waits, if any. */
export function PageTitle({ children }: { children: string }) {
  const count = useTitleCount();
  return <title>{countedTitle(children, count)}</title>;
}
