export interface Config {
  irsa?: {
    /**
     * Base URL the card's "Troubleshooting" links are resolved against, e.g. where your
     * copy of docs/troubleshooting.md is published
     * (`https://git.example.com/platform/backstage-irsa/blob/main/`). Without it the links
     * open the guide bundled in the app (`/irsa/troubleshooting`; in a legacy app, mount
     * `IrsaTroubleshootingPage` there).
     * @visibility frontend
     */
    docsBaseUrl?: string;
    /**
     * The template the card's "Request AWS access" button opens, prefilled with the
     * service. Default `template:default/request-aws-access`.
     * @visibility frontend
     */
    requestAccessTemplate?: string;
    /**
     * The template the overview's "Remove AWS access" links open for an orphan, prefilled
     * with what is known of it. Default `template:default/remove-aws-access`.
     * @visibility frontend
     */
    removeAccessTemplate?: string;
  };
}
