export interface Config {
  irsa?: {
    /**
     * Base URL the card's "Troubleshooting" links are resolved against, e.g. where your
     * copy of docs/troubleshooting.md is published
     * (`https://git.example.com/platform/backstage-irsa/blob/main/`). Without it the links
     * stay repository-relative.
     * @visibility frontend
     */
    docsBaseUrl?: string;
  };
}
