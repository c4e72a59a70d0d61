// What a finger meets on a page (SPEC §6: tap targets at least 44 px, WCAG 2.5.5), measured in
// the browser, and the screenshots a reviewer looks at.
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';

export const MIN_TARGET_PX = 44;
/** Space between two neighbouring targets, so a tap never lands on both. */
export const MIN_GAP_PX = 8;

export const SCREENSHOTS = new URL('../browser/screenshots/', import.meta.url);

/** A full-page PNG under test/browser/screenshots/ (not committed). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/**
 * Every link, button, summary and form control the page shows that is smaller than 44 × 44 px,
 * and every pair of them closer than MIN_GAP_PX, in words; none: [].
 */
export async function tapTargetProblems(page: Page): Promise<string[]> {
  return page.evaluate(({ minSize, minGap }) => {
    const selector = 'a[href], button, summary, input:not([type=hidden]), select, textarea';
    const targets = [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((element) => element.getClientRects().length > 0)
      .map((element) => {
        const box = element.getBoundingClientRect();
        const name = `<${element.tagName.toLowerCase()}> "${(element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40) || element.id}"`;
        return { name, box: { left: box.left + scrollX, right: box.right + scrollX, top: box.top + scrollY, bottom: box.bottom + scrollY, width: box.width, height: box.height } };
      });
    const problems: string[] = [];
    for (const { name, box } of targets) {
      if (box.height < minSize || box.width < minSize) problems.push(`${name} is ${Math.round(box.width)} × ${Math.round(box.height)} px`);
    }
    targets.forEach((a, i) => {
      for (const b of targets.slice(i + 1)) {
        const dx = Math.max(b.box.left - a.box.right, a.box.left - b.box.right);
        const dy = Math.max(b.box.top - a.box.bottom, a.box.top - b.box.bottom);
        const gap = Math.max(dx, dy);
        if (gap < minGap) problems.push(`${a.name} and ${b.name} are ${gap < 0 ? 'overlapping' : `${Math.round(gap)} px apart`}`);
      }
    });
    return problems;
  }, { minSize: MIN_TARGET_PX, minGap: MIN_GAP_PX });
}
