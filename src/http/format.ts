/** French formats: dates jj/mm/aaaa and times in Europe/Paris. */
const dateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const date = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

export function formatDateTime(d: Date): string {
  return dateTime.format(d).replace(' ', ' à ');
}

export function formatDate(d: Date): string {
  return date.format(d);
}
