// What a reader would see as broken, in the page as laid out (tests/e2e/conftest.py):
// - the page scrolls sideways;
// - a table cell (so a column) is hidden;
// - an element is cut off at the right, by the screen or by a scrolling box around it (a table
//   column scrolled out of sight);
// - a hint or an error sits over its control's border.
// Decorative cells (aria-hidden), the map's own panes and the content of closed <details> do not
// count. Returns at most 12 problems, each naming the element.
() => {
  const problems = [], width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
    ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
  // Hidden on purpose: the map's panes, decorative cells, closed <details>, and anything inside a
  // visually hidden box (1 px, overflow hidden: headers read out but not shown on a phone).
  const tiny = (a) => { const b = a.getBoundingClientRect();
    return b.width <= 1 && b.height <= 1 && getComputedStyle(a).overflow === 'hidden'; };
  const ignored = (e) => {
    if (e.closest('.leaflet-container, [aria-hidden="true"], details:not([open]) > :not(summary)')) return true;
    for (let a = e; a && a !== document.body; a = a.parentElement) if (tiny(a)) return true;
    return false;
  };
  const clipRight = (e) => {
    let right = width;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX)) right = Math.min(right, a.getBoundingClientRect().right);
    }
    return right;
  };
  if (document.documentElement.scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e => !ignored(e) && e.getBoundingClientRect().right > width + 1);
    problems.push('scrolls sideways (' + document.documentElement.scrollWidth + ' > ' + width + ' px): ' + wide.slice(0, 4).map(name).join('; '));
  }
  for (const cell of document.querySelectorAll('td, th')) {
    if (ignored(cell) || !cell.textContent.trim()) continue;  // an empty cell hides nothing
    const table = cell.closest('table').getBoundingClientRect();
    if (!table.width) continue;  // the table itself is not shown
    const box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    if (style.display === 'none' || style.visibility === 'hidden' || box.width < 1 || box.height < 1) {
      problems.push('hidden table cell: ' + name(cell));
    }
  }
  for (const e of document.querySelectorAll('main *')) {
    if (ignored(e)) continue;
    const box = e.getBoundingClientRect();
    if (box.width && box.height && box.right > clipRight(e) + 1) problems.push('cut off at the right: ' + name(e));
  }
  for (const field of document.querySelectorAll('.field')) {
    const control = field.querySelector('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea');
    for (const note of field.querySelectorAll(':scope > .hint, :scope > .field-error')) {
      if (control && control.getBoundingClientRect().height && note.getBoundingClientRect().top < control.getBoundingClientRect().bottom - 0.5) {
        problems.push('hint over its control: ' + name(note));
      }
    }
  }
  return [...new Set(problems)].slice(0, 12);
}
