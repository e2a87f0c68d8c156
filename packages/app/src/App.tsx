import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { irsaScaffolderFieldsModule } from '@backstage-irsa/plugin-irsa/alpha';
import { navModule } from './modules/nav';

// Everything else (scaffolder, kubernetes, org, user settings and the IRSA card) is picked
// up by feature discovery (`app.packages: all` in app-config.yaml) from this package's
// dependencies; only modules of this app are listed by hand, and the IRSA template fields:
// discovery takes a package's default export only, and that is the IRSA plugin itself.
export default createApp({
  features: [catalogPlugin, navModule, irsaScaffolderFieldsModule],
});
