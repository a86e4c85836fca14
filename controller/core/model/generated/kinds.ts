/* eslint-disable */
/**
 * GENERATED from crds/*.yaml by scripts/generate-model-types.mjs — do not edit by hand.
 * Regenerate: npx tsc -p tsconfig.json && node scripts/generate-model-types.mjs
 */
import type {ObjectMeta} from '../object-meta.js';

export interface PatchwardKinds {}
/**
 * Fleet: the hosts patchward manages and how to reach them over SSH.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "Fleet".
 */
export interface Fleet {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: Fleet.
   */
  kind: 'Fleet';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: FleetSpec;
  status?: FleetStatus;
}
/**
 * The hosts of this fleet and the defaults merged into each of them.
 */
export interface FleetSpec {
  defaults?: FleetDefaults;
  /**
   * The hosts. Names are unique across all fleets.
   *
   * @minItems 1
   */
  hosts: [FleetHost, ...FleetHost[]];
}
/**
 * Values merged into every host: host fields win, labels are merged key by key, ssh fields are merged field by field.
 */
export interface FleetDefaults {
  /**
   * Default SSH port. Default 22.
   */
  port?: number;
  /**
   * Labels every host carries unless it sets the same key.
   */
  labels?: {
    [k: string]: string;
  };
  ssh?: SshSettings;
}
/**
 * How to reach a host over SSH. Every field may be set in spec.defaults.ssh and overridden per host; after merging, user, keyRef and either hostKeys or trustOnFirstUse are required.
 */
export interface SshSettings {
  /**
   * Login user name.
   */
  user?: string;
  keyRef?: SshKeyRef;
  /**
   * Pinned host public keys in OpenSSH "type base64" form (as in known_hosts without the host name). The connection is refused when the host offers none of them.
   *
   * Items: One host public key, e.g. "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...".
   */
  hostKeys?: string[];
  /**
   * When true and hostKeys is empty, the first key seen is recorded and pinned from then on. Default false: without pinned keys the host is refused.
   */
  trustOnFirstUse?: boolean;
  /**
   * Name of another host in the same Fleet to tunnel through (ProxyJump).
   */
  jumpHost?: string;
  /**
   * Run package commands through non-interactive sudo (sudo -n). Default false (the user is root).
   */
  sudo?: boolean;
  /**
   * Seconds to wait for the TCP connection and SSH handshake. Default 15.
   */
  connectTimeoutSeconds?: number;
  /**
   * Seconds a single remote command may run before it is killed. Default 1800.
   */
  commandTimeoutSeconds?: number;
}
/**
 * Where the SSH private key comes from: exactly one of file or secretRef.
 */
export interface SshKeyRef {
  /**
   * Path of a private key file readable by the controller (absolute, or relative to the controller working directory).
   */
  file?: string;
  secretRef?: SecretKeyRef;
}
/**
 * A key inside a Kubernetes Secret.
 */
export interface SecretKeyRef {
  /**
   * Secret name.
   */
  name: string;
  /**
   * Key within the Secret data.
   */
  key: string;
  /**
   * Namespace of the Secret; defaults to the namespace of this object.
   */
  namespace?: string;
}
/**
 * One host.
 */
export interface FleetHost {
  /**
   * Host name, unique across all fleets; the name of its ManagedHost.
   */
  name: string;
  /**
   * DNS name or IP address to connect to.
   */
  address: string;
  /**
   * SSH port; spec.defaults.port, then 22, when absent.
   */
  port?: number;
  /**
   * Host labels selected by rings and policies, e.g. ring, role, env and os (an OS release key such as debian-12).
   */
  labels?: {
    [k: string]: string;
  };
  ssh?: SshSettings;
}
/**
 * Observed state of the fleet.
 */
export interface FleetStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Number of hosts in the fleet.
   */
  hosts?: number;
  /**
   * Hosts that answered at the last inventory.
   */
  reachable?: number;
}
/**
 * A kstatus condition (metav1.Condition). Types: Ready (True when the object is fully reconciled), Reconciling (True while work is in progress), Stalled (True when progress needs a person).
 */
export interface Condition {
  /**
   * Condition type, PascalCase: Ready, Reconciling, Stalled or a domain condition.
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: 'True' | 'False' | 'Unknown';
  /**
   * metadata.generation the condition was computed from.
   */
  observedGeneration?: number;
  /**
   * When the status last changed (RFC 3339, UTC).
   */
  lastTransitionTime: string;
  /**
   * Machine-readable PascalCase reason for the last transition.
   */
  reason: string;
  /**
   * Human-readable detail of the last transition.
   */
  message: string;
}
/**
 * MaintenanceWindow: when hosts may be patched. A window is open during any of its schedules, minus blackouts; blackouts always win.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "MaintenanceWindow".
 */
export interface MaintenanceWindow {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: MaintenanceWindow.
   */
  kind: 'MaintenanceWindow';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: MaintenanceWindowSpec;
  status?: MaintenanceWindowStatus;
}
/**
 * Recurring schedules in a time zone, with a cutoff and blackout periods.
 */
export interface MaintenanceWindowSpec {
  /**
   * IANA time zone the schedules and local blackout times are read in, e.g. Europe/Berlin or UTC.
   */
  timeZone: string;
  /**
   * No host is started after (end of the occurrence - cutoff); hosts already started may finish. Must be shorter than every schedule duration. Default 0s.
   */
  cutoff?: string;
  /**
   * When the window opens. The window is open while any occurrence is open.
   *
   * @minItems 1
   */
  schedules: [WindowSchedule, ...WindowSchedule[]];
  /**
   * Periods when the window is closed whatever the schedules say (change freezes). Exactly one of start+end or yearly each.
   */
  blackouts?: Blackout[];
}
/**
 * One recurring opening: exactly one of cron or rrule, each occurrence lasting duration.
 */
export interface WindowSchedule {
  /**
   * Optional label of this schedule in reports.
   */
  name?: string;
  /**
   * Five-field cron expression for the start times, minute hour day-of-month month day-of-week; nth weekday with #, e.g. "0 22 * * 2#2" for the second Tuesday at 22:00.
   */
  cron?: string;
  /**
   * RFC 5545 recurrence rule for the start times, without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=2TU;BYHOUR=22;BYMINUTE=0".
   */
  rrule?: string;
  /**
   * How long each occurrence stays open, e.g. 4h.
   */
  duration: string;
  /**
   * Overrides spec.timeZone for this schedule.
   */
  timeZone?: string;
  /**
   * Overrides spec.cutoff for this schedule.
   */
  cutoff?: string;
}
/**
 * One closed period.
 */
export interface Blackout {
  /**
   * Short name, e.g. year-end-freeze.
   */
  name?: string;
  /**
   * First instant closed: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], local to the window time zone unless it ends in Z or an offset.
   */
  start?: string;
  /**
   * First instant open again (exclusive), same forms as start.
   */
  end?: string;
  yearly?: YearlyBlackout;
  /**
   * Why changes are frozen; shown when a host waits.
   */
  reason: string;
}
/**
 * A blackout repeated every year, whole days in the window time zone; may wrap over the new year.
 */
export interface YearlyBlackout {
  /**
   * First closed day, MM-DD.
   */
  firstDay: string;
  /**
   * Last closed day (inclusive), MM-DD.
   */
  lastDay: string;
}
/**
 * Observed state of the window.
 */
export interface MaintenanceWindowStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Whether the window was open at the last reconcile.
   */
  open?: boolean;
  /**
   * Start of the next occurrence (RFC 3339, UTC).
   */
  nextOpen?: string;
  /**
   * End of the current or next occurrence (RFC 3339, UTC).
   */
  nextClose?: string;
}
/**
 * ManagedHost (cluster only, written by the controller): one per fleet host, its OS, ring and compliance.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "ManagedHost".
 */
export interface ManagedHost {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: ManagedHost.
   */
  kind: 'ManagedHost';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: ManagedHostSpec;
  status?: ManagedHostStatus;
}
/**
 * Identity of the host, copied from its Fleet.
 */
export interface ManagedHostSpec {
  /**
   * Name of the Fleet the host belongs to.
   */
  fleet: string;
  /**
   * Host name within the fleet.
   */
  host: string;
  /**
   * Address connected to.
   */
  address?: string;
  /**
   * Name of the Ring that selects the host.
   */
  ring?: string;
  /**
   * Host labels after defaults were merged.
   */
  labels?: {
    [k: string]: string;
  };
}
/**
 * What the host told the controller.
 */
export interface ManagedHostStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  os?: ManagedHostOs;
  /**
   * Compliant: every approved minimum version installed; NonCompliant: some missing; Unknown: not inventoried yet or unreachable.
   */
  compliance?: 'Compliant' | 'NonCompliant' | 'Unknown';
  /**
   * Approved advisories not yet installed.
   */
  missingFixes?: number;
  /**
   * The missing fixes (first 100).
   *
   * @maxItems 100
   */
  missing?: MissingFix[];
  /**
   * The host reports that it needs a reboot.
   */
  rebootRequired?: boolean;
  /**
   * Last successful inventory.
   */
  lastSeen?: string;
  /**
   * Last successful patch.
   */
  lastPatched?: string;
}
/**
 * The host operating system.
 */
export interface ManagedHostOs {
  /**
   * OS release key, e.g. debian-12.
   */
  release?: string;
  /**
   * PRETTY_NAME from /etc/os-release.
   */
  prettyName?: string;
  /**
   * Running kernel.
   */
  kernel?: string;
}
/**
 * One approved package version not yet installed.
 */
export interface MissingFix {
  /**
   * Advisory id.
   */
  advisory: string;
  /**
   * Package name.
   */
  package: string;
  /**
   * Installed version, if any.
   */
  installedVersion?: string;
  /**
   * Approved minimum version.
   */
  minVersion: string;
}
/**
 * PatchBaseline: the approved state, like a lock file. Each approved advisory lists the exact minimum package versions per OS release; merging a change to it is the approval.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "PatchBaseline".
 */
export interface PatchBaseline {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: PatchBaseline.
   */
  kind: 'PatchBaseline';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: PatchBaselineSpec;
  status?: PatchBaselineStatus;
}
/**
 * Approved advisories and holds.
 */
export interface PatchBaselineSpec {
  /**
   * Approved advisories; each advisory at most once.
   */
  approvals?: Approval[];
  /**
   * Packages kept at their installed version for hosts this baseline applies to.
   */
  holds?: PackageHold[];
}
/**
 * One approved advisory and the versions it implies.
 */
export interface Approval {
  /**
   * Advisory id as in the feed, e.g. DSA-5801-1, USN-6409-1, ALSA-2024:1234, DEBIAN-CVE-2024-6387.
   */
  advisory: string;
  /**
   * Other ids of the same fix, usually CVE ids.
   *
   * Items: An id, e.g. CVE-2024-6387.
   */
  aliases?: string[];
  /**
   * Severity as assessed when approved.
   */
  severity?: 'negligible' | 'low' | 'medium' | 'high' | 'critical';
  /**
   * Why this was approved (or a link to the discussion).
   */
  reason?: string;
  /**
   * Minimum versions per OS release; hosts of other releases are not affected by this approval.
   *
   * @minItems 1
   */
  packages: [ApprovedPackage, ...ApprovedPackage[]];
  /**
   * Installed packages the rollout of this approval may remove (e.g. a package a fixed version replaces or conflicts with). A transaction that would remove any other package is refused before anything is installed.
   */
  removes?: AllowedRemoval[];
}
/**
 * A minimum version of one package on one OS release.
 */
export interface ApprovedPackage {
  /**
   * OS release key: <os-release ID>-<VERSION_ID>, RHEL-likes cut to major, e.g. debian-12, ubuntu-24.04, rocky-9.
   */
  release: string;
  /**
   * Package as the advisory names it: the SOURCE package for Debian and Ubuntu, the rpm name for the RHEL family.
   */
  name: string;
  /**
   * Lowest acceptable version in the release's scheme: dpkg [epoch:]upstream[-revision] or rpm [epoch:]version-release.
   */
  minVersion: string;
}
/**
 * One installed package the transaction may remove.
 */
export interface AllowedRemoval {
  /**
   * Binary package name as the OS names it (dpkg binary package or rpm name).
   */
  name: string;
  /**
   * OS release keys on which the removal is allowed; every release of the approval when absent.
   *
   * Items: An OS release key.
   */
  releases?: string[];
}
/**
 * Keeps a package at its installed version: no proposal or rollout upgrades it while the hold applies.
 */
export interface PackageHold {
  /**
   * Package name as the OS names it (binary or source package for dpkg, rpm name), or a glob with * and ?.
   */
  package: string;
  /**
   * OS release keys the hold applies to (e.g. debian-12); all releases when absent.
   *
   * Items: An OS release key.
   */
  releases?: string[];
  hosts?: LabelSelector;
  /**
   * Last day (YYYY-MM-DD, UTC) or instant (RFC 3339) the hold applies; for ever when absent.
   */
  until?: string;
  /**
   * Why the package is held; shown in proposals and reports.
   */
  reason: string;
}
/**
 * Kubernetes-style label selector over host labels. Both parts must match (AND). An empty selector selects every host.
 */
export interface LabelSelector {
  /**
   * Labels a host must carry with exactly these values.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * Set-based requirements; all must hold.
   */
  matchExpressions?: LabelSelectorRequirement[];
}
/**
 * One set-based requirement on a host label.
 */
export interface LabelSelectorRequirement {
  /**
   * Label key the requirement applies to.
   */
  key: string;
  /**
   * In: value is one of values. NotIn: label absent or value not in values. Exists: label present. DoesNotExist: label absent.
   */
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /**
   * Values for In and NotIn (must be non-empty for those); must be empty for Exists and DoesNotExist.
   */
  values?: string[];
}
/**
 * Compliance of the hosts held to this baseline.
 */
export interface PatchBaselineStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Approved advisories.
   */
  approvals?: number;
  /**
   * Hosts held to this baseline.
   */
  hosts?: number;
  /**
   * Hosts at or above every minimum version.
   */
  compliantHosts?: number;
}
/**
 * PatchPolicy: which advisories become pull requests for which hosts, how they are grouped and reviewed, and what is held back.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "PatchPolicy".
 */
export interface PatchPolicy {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: PatchPolicy.
   */
  kind: 'PatchPolicy';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: PatchPolicySpec;
  status?: PatchPolicyStatus;
}
/**
 * Proposal rules for the hosts the selector picks.
 */
export interface PatchPolicySpec {
  selector: LabelSelector;
  /**
   * Name of the PatchBaseline proposals add approvals to and the selected hosts are held to.
   */
  baseline: string;
  /**
   * Lowest advisory severity that becomes a proposal. Default medium.
   */
  minSeverity?: 'negligible' | 'low' | 'medium' | 'high' | 'critical';
  /**
   * Advisories on a known-exploited list (e.g. CISA KEV): always = proposed whatever their severity; as-critical = proposed and treated as critical (urgent lane, auto-merge rules); by-severity = no special treatment. Default always.
   */
  knownExploited?: 'always' | 'as-critical' | 'by-severity';
  /**
   * OS release keys this policy proposes for; all releases of the selected hosts when absent.
   *
   * Items: An OS release key.
   */
  releases?: string[];
  grouping?: ProposalGrouping;
  pullRequests?: PullRequestSettings;
  autoMerge?: AutoMerge;
  /**
   * Packages kept at their installed version on the selected hosts.
   */
  holds?: PackageHold[];
  /**
   * Advisories or packages never proposed by this policy; exactly one of advisory or package each.
   */
  exclusions?: Exclusion[];
  urgentLane?: UrgentLane;
}
/**
 * How fixes are bundled into pull requests.
 */
export interface ProposalGrouping {
  /**
   * advisory: one PR per advisory; package: one PR per package; daily or weekly: one PR collecting everything new in that period. Default advisory.
   */
  by?: 'advisory' | 'package' | 'daily' | 'weekly';
  /**
   * Most advisories in one PR; a group is split beyond it. Default 50.
   */
  maxAdvisories?: number;
}
/**
 * How proposal pull requests look.
 */
export interface PullRequestSettings {
  /**
   * Labels put on every proposal PR.
   *
   * Items: A label.
   */
  labels?: string[];
  /**
   * Users asked to review.
   *
   * Items: A forge user name.
   */
  reviewers?: string[];
  /**
   * Teams asked to review (forges that have teams).
   *
   * Items: A team slug.
   */
  teamReviewers?: string[];
  /**
   * Prefix of proposal branch names. Default patchward/.
   */
  branchPrefix?: string;
  /**
   * Open proposals as drafts. Default false.
   */
  draft?: boolean;
}
/**
 * Optional automatic merging of proposals; off unless enabled.
 */
export interface AutoMerge {
  /**
   * Turns auto-merge on. Default false.
   */
  enabled?: boolean;
  /**
   * A proposal is auto-merged when any rule matches it.
   */
  rules?: AutoMergeRule[];
}
/**
 * Proposals matching every set field of a rule are merged once checks pass and the delay has passed.
 */
export interface AutoMergeRule {
  /**
   * Advisory severities this rule accepts.
   *
   * @minItems 1
   *
   * Items: A severity.
   */
  severities?: ['negligible' | 'low' | 'medium' | 'high' | 'critical', ...('negligible' | 'low' | 'medium' | 'high' | 'critical')[]];
  /**
   * When set, the advisory must (true) or must not (false) be known exploited.
   */
  knownExploited?: boolean;
  /**
   * OS release keys the proposal may touch; any when absent.
   *
   * Items: An OS release key.
   */
  releases?: string[];
  /**
   * Wait this long after the proposal opened before merging, so people can object. Default 0s.
   */
  after?: string;
  /**
   * Merge only when every required commit status is green. Default true.
   */
  requireChecks?: boolean;
}
/**
 * One exclusion.
 */
export interface Exclusion {
  /**
   * Advisory id or CVE id to ignore.
   */
  advisory?: string;
  /**
   * Package name or glob to ignore.
   */
  package?: string;
  /**
   * Why; required so that exclusions are reviewed.
   */
  reason: string;
  /**
   * Last day (YYYY-MM-DD) or instant the exclusion applies; for ever when absent.
   */
  until?: string;
}
/**
 * Opt-in fast path for the most dangerous fixes: its proposals are labelled urgent and, once merged, may roll out in extra windows with a shorter soak.
 */
export interface UrgentLane {
  /**
   * Turns the urgent lane on. Default false.
   */
  enabled?: boolean;
  /**
   * Severities that qualify. Default [critical].
   *
   * @minItems 1
   *
   * Items: A severity.
   */
  severities?: ['negligible' | 'low' | 'medium' | 'high' | 'critical', ...('negligible' | 'low' | 'medium' | 'high' | 'critical')[]];
  /**
   * Known-exploited advisories qualify whatever their severity. Default true.
   */
  knownExploited?: boolean;
  /**
   * Extra MaintenanceWindows urgent rollouts may use besides each ring's own.
   *
   * Items: A MaintenanceWindow name.
   */
  windows?: string[];
  /**
   * Soak time between rings for urgent rollouts, replacing each ring's soakTime.
   */
  soakTime?: string;
  /**
   * Auto-merge urgent proposals once checks pass. Default false.
   */
  autoMerge?: boolean;
  /**
   * Extra labels on urgent proposal PRs.
   *
   * Items: A label.
   */
  labels?: string[];
}
/**
 * Observed state of the policy.
 */
export interface PatchPolicyStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Hosts the selector picks.
   */
  hosts?: number;
  /**
   * Open proposal pull requests.
   */
  openProposals?: number;
  /**
   * When the last proposal was opened.
   */
  lastProposalTime?: string;
}
/**
 * PatchRepository (cluster only): where the policy repository lives and how the controller talks to its forge.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "PatchRepository".
 */
export interface PatchRepository {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: PatchRepository.
   */
  kind: 'PatchRepository';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: PatchRepositorySpec;
  status?: PatchRepositoryStatus;
}
/**
 * Location of the policy repository.
 */
export interface PatchRepositorySpec {
  /**
   * Git URL of the policy repository (https://, ssh:// or file://).
   */
  url: string;
  /**
   * Default branch the desired state is read from. Default main.
   */
  branch?: string;
  /**
   * Directory inside the repository holding the policy files. Default ".".
   */
  path?: string;
  /**
   * How often to fetch. Default 5m.
   */
  interval?: string;
  secretRef?: LocalSecretRef;
  forge?: ForgeSettings;
  /**
   * Stop reconciling this repository. Default false.
   */
  suspend?: boolean;
}
/**
 * A Secret in the same namespace.
 */
export interface LocalSecretRef {
  /**
   * Secret name.
   */
  name: string;
}
/**
 * The forge hosting the repository, for branches, pull requests and commit statuses.
 */
export interface ForgeSettings {
  /**
   * github, gitlab, gitea (also Forgejo) or git (plain Git: branches only, statuses as git notes).
   */
  kind: 'github' | 'gitlab' | 'gitea' | 'git';
  /**
   * API base URL for self-hosted forges.
   */
  apiUrl?: string;
  /**
   * owner/name of the repository on the forge.
   */
  repository?: string;
  tokenSecretRef?: TokenSecretRef;
}
/**
 * A key of a Secret in the same namespace holding the API token.
 */
export interface TokenSecretRef {
  /**
   * Secret name.
   */
  name: string;
  /**
   * Key within the Secret data.
   */
  key: string;
}
/**
 * Fetch and validation state.
 */
export interface PatchRepositoryStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * When the repository was last fetched.
   */
  lastFetchTime?: string;
  /**
   * Policy documents in the last applied revision.
   */
  documents?: number;
  /**
   * First problems of the last attempted revision, as file:line:column: path: message.
   *
   * Items: One problem.
   */
  problems?: string[];
}
/**
 * PatchRollout (cluster only, written by the controller): the rollout of one approved baseline revision, ring by ring.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "PatchRollout".
 */
export interface PatchRollout {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: PatchRollout.
   */
  kind: 'PatchRollout';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: PatchRolloutSpec;
  status?: PatchRolloutStatus;
}
/**
 * What is rolled out.
 */
export interface PatchRolloutSpec {
  /**
   * Name of the PatchBaseline.
   */
  baseline: string;
  /**
   * Git revision (commit SHA) of the policy repository being rolled out.
   */
  revision: string;
  /**
   * Rolled out through the urgent lane.
   */
  urgent?: boolean;
  /**
   * Ring names in rollout order, as of the revision.
   *
   * Items: A Ring name.
   */
  rings?: string[];
  /**
   * Set to a new value (e.g. a timestamp) to resume a halted rollout; the controller records the value it acted on.
   */
  resume?: string;
}
/**
 * Progress of the rollout.
 */
export interface PatchRolloutStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Pending, Progressing, Soaking, Halted, Completed or Superseded (a newer revision replaced it).
   */
  phase?: 'Pending' | 'Progressing' | 'Soaking' | 'Halted' | 'Completed' | 'Superseded';
  /**
   * Ring being rolled out now.
   */
  currentRing?: string;
  /**
   * Per-ring progress, in order.
   */
  rings?: RingProgress[];
  halt?: RolloutHalt;
  /**
   * spec.resume value last acted on.
   */
  resumedWith?: string;
  /**
   * When the rollout started.
   */
  startTime?: string;
  /**
   * When the last ring completed.
   */
  completionTime?: string;
}
/**
 * Progress of one ring in this rollout.
 */
export interface RingProgress {
  /**
   * Ring name.
   */
  name: string;
  /**
   * Pending, Waiting, Progressing, Soaking, Halted or Complete.
   */
  phase: 'Pending' | 'Waiting' | 'Progressing' | 'Soaking' | 'Halted' | 'Complete';
  /**
   * Hosts in the ring.
   */
  hosts?: number;
  /**
   * Hosts patched and healthy.
   */
  succeeded?: number;
  /**
   * Hosts that failed.
   */
  failed?: number;
  /**
   * Hosts being patched now.
   */
  inProgress?: number;
  /**
   * When the first host started.
   */
  startTime?: string;
  /**
   * When the last host finished.
   */
  completionTime?: string;
  /**
   * When soaking ends.
   */
  soakUntil?: string;
}
/**
 * Why the rollout halted; it stays halted until spec.resume changes or the baseline changes.
 */
export interface RolloutHalt {
  /**
   * Ring that halted.
   */
  ring?: string;
  /**
   * PascalCase reason, e.g. FailureBudgetExceeded.
   */
  reason?: string;
  /**
   * Human-readable detail.
   */
  message?: string;
  /**
   * When it halted.
   */
  time?: string;
}
/**
 * Ring: an ordered rollout stage. Ring N+1 starts only after ring N completed and soaked.
 *
 * This interface was referenced by `PatchwardKinds`'s JSON-Schema
 * via the `definition` "Ring".
 */
export interface Ring {
  /**
   * APIVersion of this object: patchward.io/v1alpha1.
   */
  apiVersion: 'patchward.io/v1alpha1';
  /**
   * Kind of this object: Ring.
   */
  kind: 'Ring';
  /**
   * Standard object metadata; name is required.
   */
  metadata: ObjectMeta;
  spec: RingSpec;
  status?: RingStatus;
}
/**
 * Which hosts the ring holds and how fast and how safely they are patched.
 */
export interface RingSpec {
  /**
   * Position in the rollout, lowest first; unique among rings.
   */
  order: number;
  selector: LabelSelector;
  /**
   * Names of MaintenanceWindows; hosts of this ring are patched only while one of them is open.
   *
   * @minItems 1
   *
   * Items: A MaintenanceWindow name.
   */
  windows: [string, ...string[]];
  /**
   * Most hosts of this ring patched at the same time: a count (e.g. 2) or a percentage of the ring (e.g. "25%", rounded down, at least 1). Default 1.
   */
  maxConcurrent?: number | string;
  /**
   * Failed hosts this ring tolerates: a count or a percentage of the ring (rounded down). The rollout halts when failures EXCEED the budget; 0 (the default) halts on the first failure.
   */
  failureBudget?: number | string;
  /**
   * Attempts per host and rollout before the host counts as failed against the failure budget. An attempt that cannot reach the host (unreachable, package database broken or locked) also counts; until the host succeeds or is out of attempts the ring stays incomplete. Default 3.
   */
  maxAttempts?: number;
  /**
   * Time to wait after the last host of this ring succeeded before the next ring may start, e.g. 24h. Default 0s.
   */
  soakTime?: string;
  preHook?: Hook;
  /**
   * Checks run after each host is patched (and rebooted); all must pass for the host to succeed.
   */
  healthChecks?: HealthCheck[];
  reboot?: RebootSettings;
}
/**
 * A command run on the host over SSH, with a time limit.
 */
export interface Hook {
  /**
   * argv of the command, run without a shell; the first element is the program.
   *
   * @minItems 1
   *
   * Items: One argument.
   */
  command: [string, ...string[]];
  /**
   * How long the command may run, e.g. 10m.
   */
  timeout: string;
  /**
   * What happens when the timeout passes: fail-host (host counts as failed against the failure budget, it is not patched further), halt-rollout (stop the whole rollout), continue (ignore and go on). Default fail-host.
   */
  onTimeout?: 'fail-host' | 'halt-rollout' | 'continue';
  /**
   * What happens when the command exits non-zero: fail-host, halt-rollout or continue. Default fail-host.
   */
  onFailure?: 'fail-host' | 'halt-rollout' | 'continue';
}
/**
 * A check that must pass after a host is patched (and rebooted); exactly one of command, http, tcp or prometheus.
 */
export interface HealthCheck {
  /**
   * Name of the check, unique within the ring.
   */
  name: string;
  /**
   * argv run on the host over SSH; exit status 0 passes.
   *
   * @minItems 1
   *
   * Items: One argument.
   */
  command?: [string, ...string[]];
  http?: HttpCheck;
  tcp?: TcpCheck;
  prometheus?: PrometheusCheck;
  /**
   * How long one attempt may take, e.g. 30s.
   */
  timeout: string;
  /**
   * Extra attempts after a failed one. Default 0.
   */
  retries?: number;
  /**
   * Pause between attempts. Default 10s.
   */
  interval?: string;
  /**
   * What happens when the last attempt times out: fail-host, halt-rollout or continue. Default fail-host.
   */
  onTimeout?: 'fail-host' | 'halt-rollout' | 'continue';
  /**
   * What happens when the last attempt fails: fail-host, halt-rollout or continue. Default fail-host.
   */
  onFailure?: 'fail-host' | 'halt-rollout' | 'continue';
}
/**
 * An HTTP GET from the controller.
 */
export interface HttpCheck {
  /**
   * URL to fetch; {address} is replaced by the host address.
   */
  url: string;
  /**
   * Expected HTTP status code. Default 200.
   */
  expectStatus?: number;
}
/**
 * A TCP connect from the controller to the host address.
 */
export interface TcpCheck {
  /**
   * TCP port that must accept a connection.
   */
  port: number;
}
/**
 * A PromQL instant query from the controller to a Prometheus server: the result (a scalar, or the value of every series of a vector) must stay within the threshold; an empty vector passes, a query error or a NaN fails.
 */
export interface PrometheusCheck {
  /**
   * Base URL of the Prometheus server (the check calls <url>/api/v1/query), e.g. http://prometheus:9090.
   */
  url: string;
  /**
   * PromQL expression; {host} and {address} are replaced by the host's name and address (with PromQL string escaping), e.g. max(rate(http_errors_total{instance="{address}:9100"}[5m])).
   */
  query: string;
  threshold: PrometheusThreshold;
}
/**
 * Bounds every value must stay within (inclusive); at least one of max and min.
 */
export interface PrometheusThreshold {
  /**
   * Largest value that passes.
   */
  max?: number;
  /**
   * Smallest value that passes.
   */
  min?: number;
}
/**
 * Whether patched hosts are rebooted.
 */
export interface RebootSettings {
  /**
   * if-required: reboot when the host reports a reboot is needed (/var/run/reboot-required, needs-restarting -r, or an installed kernel newer than the running one; the default); never: leave it (the host is reported as pending reboot); always: reboot after every patch.
   */
  policy?: 'if-required' | 'never' | 'always';
  /**
   * argv of the command that reboots the host, run over SSH without a shell (through sudo when the host's SSH settings say so). Default [systemctl, reboot].
   *
   * @minItems 1
   *
   * Items: One argument.
   */
  command?: [string, ...string[]];
  /**
   * How long to wait for the host to come back after a reboot. Default 15m.
   */
  timeout?: string;
  /**
   * What happens when the host is not back in time: fail-host or halt-rollout. Default halt-rollout.
   */
  onTimeout?: 'fail-host' | 'halt-rollout';
}
/**
 * Progress of the ring in the current rollout.
 */
export interface RingStatus {
  /**
   * The metadata.generation last reconciled.
   */
  observedGeneration?: number;
  /**
   * Current conditions (Ready, Reconciling, Stalled and domain conditions), one per type.
   */
  conditions?: Condition[];
  /**
   * Git revision (commit SHA) of the policy repository last applied successfully.
   */
  lastAppliedRevision?: string;
  /**
   * Git revision last attempted, successful or not.
   */
  lastAttemptedRevision?: string;
  /**
   * Idle, Waiting (for a window or the previous ring), Progressing, Soaking, Halted or Complete.
   */
  phase?: 'Idle' | 'Waiting' | 'Progressing' | 'Soaking' | 'Halted' | 'Complete';
  /**
   * Hosts this ring selects.
   */
  hosts?: number;
  /**
   * Hosts at the approved baseline.
   */
  patched?: number;
  /**
   * Hosts that failed in the current rollout.
   */
  failed?: number;
  /**
   * When soaking ends (RFC 3339, UTC).
   */
  soakUntil?: string;
}
