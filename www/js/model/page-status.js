// What the page says about its departments as a whole: the hub banner shows one status for all
// of them. No DOM here.

// From the most to the least in need of someone's attention: what the banner says when the
// departments differ (one may need the update while the others run).
const SEVERITY = ['refused', 'not-set-up', 'not-configured', 'closed', 'offline', 'needs-update', 'connecting', 'online'];

/** The status the page's banner shows: the most severe of its departments' (`Department.status`). */
export function pageStatus(departments) {
  const rank = (status) => (SEVERITY.includes(status) ? SEVERITY.indexOf(status) : 0);
  return departments.map((d) => d.status).reduce((worst, status) => (rank(status) < rank(worst) ? status : worst), 'online');
}
