/**
 * The stages a trainer runs: the reference trainer (trainer/) by default, a plugged-in trainer
 * command for those of AVATARFORGE_TRAINER_STAGES. Each gets `<input dir> <output dir>` with
 * AVATARFORGE_STAGE set (docs/pipeline.md, "Plugging a trainer in").
 */
export const TRAINER_STAGES = ['training_data_preprocess', 'training', 'inference_data_preprocess', 'compile', 'test_video_check', 'video_render'] as const;
export type TrainerStage = (typeof TRAINER_STAGES)[number];

/** Files that are directories packed as .tar.gz: an input is unpacked into `<input dir>/<kind>/`, an output is the whole output dir. */
export const ARCHIVE_KINDS: ReadonlySet<string> = new Set(['training_data', 'inference_data', 'model_package', 'compiled_model']);

/** Single-file outputs, by the name the trainer writes them under in its output dir. */
export const OUTPUT_FILE_NAMES: Readonly<Record<string, string>> = {
  test_video: 'test_video.mp4',
  test_video_report: 'quality.json',
  video_output: 'video.mp4',
  video_cover: 'cover.jpg',
  video_report: 'video.json',
};

/**
 * The job's settings a trainer reads from `<input dir>/job.json`: the marked ranges and where the
 * audio comes from; for a video job's render, its render plan.
 */
export const TRAINER_JOB_FIELDS = ['traning_video_mark_info', 'inference_data_process_video_mark_info', 'inference_data_process_action_mark_info', 'audio_source_type', 'render_plan'] as const;
