export { TroubleshootingPage } from './TroubleshootingPage';
