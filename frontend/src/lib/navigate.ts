/** Navigates within the app and lets App.svelte re-read the route. */
export function navigate(url: string): void {
  history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
}
