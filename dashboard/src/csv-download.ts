/**
 * Saves text as a file the browser downloads: a Blob and a temporary `<a download>`. The text was fetched through
 * ApiClient, so the person's credential went with the request (a plain link could not carry a bearer token).
 */
export function saveText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the object URL can go once the event loop has moved on.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
