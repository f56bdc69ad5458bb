// The 2D digital-human video jobs through the official Go SDK (v0.1.188), unchanged:
// Create2DDigitalHumanVideo, Show2DDigitalHumanVideo, Cancel2DDigitalHumanVideo and
// ListDigitalHumanVideo against avatarforge in emulator mode (conformance/server.sh): a video job
// renders an emulated test-pattern MP4 (H.264 + AAC) at the requested size, as long as its scripts.
//
// A finished model is a training job created through the SDK and moved to JOB_SUCCESS with an
// asset_id in the server's SQLite file (a quick stand-in: assets_test.go takes a job through the
// emulated pipeline). AUDIO scripts fetch a WAV from a plain HTTP server this suite runs on
// $AF_AUDIO_PORT, the one port the server may fetch audio from. The tests run in file order
// (after training_jobs_test.go) and build on each other; the helpers of afcheck_test.go and
// training_jobs_test.go are reused.
//
// The Go SDK always sends video_config.bitrate/width/height (0 when unset) and
// voice_config.voice_asset_id ("" when unset): the server treats those as unset, which the
// scenario relies on where it leaves them out.
package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1/model"
)

const (
	videoAppUser = "video-go"
	aliceAppUser = "alice"
	bobAppUser   = "bob"
	videoPoll    = 100 * time.Millisecond
	videoTimeout = 60 * time.Second
)

// What the video scenario learns as it goes.
var videos struct {
	modelAsset string // a finished model of videoAppUser
	textJob    string // the SUCCEED job of a TEXT script
	audioJob   string // the SUCCEED job of an AUDIO script
}

var assetIDSafe = regexp.MustCompile(`^[0-9a-z]{32}$`)

// -------------------------------------------------------------------------------------------------
// The audio host: a WAV, a redirect to it, and 404 for anything else, on 127.0.0.1:$AF_AUDIO_PORT
// -------------------------------------------------------------------------------------------------

type audioHost struct {
	base     string
	wav      []byte
	mu       sync.Mutex
	requests []string
}

func (h *audioHost) requested() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string{}, h.requests...)
}

var (
	audioOnce   sync.Once
	theAudio    *audioHost
	audioFailed error
)

func startAudioHost() (*audioHost, error) {
	port := os.Getenv("AF_AUDIO_PORT")
	if port == "" {
		return nil, fmt.Errorf("AF_AUDIO_PORT is not set")
	}
	dir, err := os.MkdirTemp("", "afgo-audio-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "x.wav")
	out, err := exec.Command("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=16000:duration=3", "-ac", "1", file).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: %v: %s", err, out)
	}
	wav, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1:%s: %v", port, err)
	}
	host := &audioHost{base: "http://127.0.0.1:" + port, wav: wav}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		host.mu.Lock()
		host.requests = append(host.requests, r.URL.Path)
		host.mu.Unlock()
		switch r.URL.Path {
		case "/speech.wav":
			w.Header().Set("Content-Type", "audio/wav")
			w.Header().Set("Content-Length", strconv.Itoa(len(wav)))
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(wav)
		case "/redirect":
			http.Redirect(w, r, "/speech.wav", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	go func() { _ = http.Serve(listener, mux) }() // lives as long as the test process
	return host, nil
}

func audio(t *testing.T) *audioHost {
	t.Helper()
	audioOnce.Do(func() { theAudio, audioFailed = startAudioHost() })
	noErr(t, audioFailed, "the audio host")
	return theAudio
}

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------

// sqliteExec runs statements against the server's SQLite file and answers the output (changes()).
func sqliteExec(t *testing.T, statements string) int {
	t.Helper()
	srv := env()
	if _, err := exec.LookPath("sqlite3"); err == nil {
		cmd := exec.Command("sqlite3", srv.dbPath)
		cmd.Stdin = strings.NewReader(".timeout 10000\n" + statements)
		out, err := cmd.CombinedOutput()
		noErr(t, err, "sqlite3: "+string(out))
		changed, err := strconv.Atoi(strings.TrimSpace(string(out)))
		noErr(t, err, "sqlite3 changes(): "+string(out))
		return changed
	}
	script := `const Database = require(require("path").join(process.env.AF_REPO_ROOT, "node_modules/better-sqlite3"));
const db = new Database(process.argv[1], { timeout: 10000 });
let changed = 0, last = 0;
for (const statement of process.argv[2].split(";\n").map((s) => s.trim().replace(/;$/, "")).filter((s) => s !== "")) {
  if (statement === "SELECT changes()") changed = last;
  else last = db.prepare(statement).run().changes;
}
db.close();
console.log(changed);`
	out, err := exec.Command("node", "-e", script, srv.dbPath, statements).CombinedOutput()
	noErr(t, err, "node better-sqlite3: "+string(out))
	changed, err := strconv.Atoi(strings.TrimSpace(string(out)))
	noErr(t, err, "node changes: "+string(out))
	return changed
}

// trainingJobWithAsset creates a training job of `user` through the SDK and gives it an asset id
// in the database; finished also moves it to JOB_SUCCESS (the stand-in for the training pipeline).
func trainingJobWithAsset(t *testing.T, user, name string, finished bool) string {
	t.Helper()
	created, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		XAppUserId: ptr(user), Body: &model.Create2dModelTrainingJobReq{Name: name}})
	noErr(t, err, "Create2dModelTrainingJob "+name)
	isHex32(t, created.JobId, "training job_id")
	job := *created.JobId
	asset := "asset" + job[5:]
	check(t, assetIDSafe.MatchString(asset), "asset id is safe to inline: %q", asset)
	set := "asset_id='" + asset + "'"
	if finished {
		set = "state='JOB_SUCCESS', " + set
	}
	changed := sqliteExec(t, "UPDATE training_jobs SET "+set+", version=version+1 WHERE job_id='"+job+"';\n"+
		"SELECT changes();\n"+
		"UPDATE projects SET jobs_version=jobs_version+1;\n")
	eq(t, changed, 1, "the training job row was updated")
	return asset
}

func finishedModel(t *testing.T, user, name string) string {
	t.Helper()
	return trainingJobWithAsset(t, user, name, true)
}

func textScripts(text string) *[]model.ShootScriptItem {
	return &[]model.ShootScriptItem{{
		SequenceNo: ptr(int32(0)),
		ShootScript: &model.ShootScript{
			ScriptType: ptr(model.GetShootScriptScriptTypeEnum().TEXT),
			TextConfig: &model.TextConfig{Text: text},
		},
	}}
}

func audioScripts(url string) *[]model.ShootScriptItem {
	return &[]model.ShootScriptItem{{
		SequenceNo: ptr(int32(0)),
		ShootScript: &model.ShootScript{
			ScriptType:                ptr(model.GetShootScriptScriptTypeEnum().AUDIO),
			AudioDriveFileExternalUrl: ptr(url),
		},
	}}
}

func createVideo(user string, body *model.Create2DDigitalHumanVideoReq) (*model.Create2DDigitalHumanVideoResponse, error) {
	return client().Create2DDigitalHumanVideo(&model.Create2DDigitalHumanVideoRequest{XAppUserId: ptr(user), Body: body})
}

func mustCreateVideo(t *testing.T, user string, body *model.Create2DDigitalHumanVideoReq) string {
	t.Helper()
	created, err := createVideo(user, body)
	noErr(t, err, "Create2DDigitalHumanVideo")
	eq(t, created.HttpStatusCode, 200, "Create status")
	isHex32(t, created.JobId, "job_id")
	isHex32(t, created.XRequestId, "X-Request-Id")
	return *created.JobId
}

func showVideo(t *testing.T, user, jobID string, showScript bool) *model.Show2DDigitalHumanVideoResponse {
	t.Helper()
	request := &model.Show2DDigitalHumanVideoRequest{JobId: jobID, XAppUserId: ptr(user)}
	if showScript {
		request.ShowScript = ptr(true)
	}
	shown, err := client().Show2DDigitalHumanVideo(request)
	noErr(t, err, "Show2DDigitalHumanVideo "+jobID)
	return shown
}

// waitForVideo polls Show (uncounted) until the job reaches `want`; any final state other than
// `want`, or the timeout, fails the test.
func waitForVideo(t *testing.T, user, jobID string, want model.Show2DDigitalHumanVideoResponseState) *model.Show2DDigitalHumanVideoResponse {
	t.Helper()
	states := model.GetShow2DDigitalHumanVideoResponseStateEnum()
	deadline := time.Now().Add(videoTimeout)
	for {
		shown, err := client().Show2DDigitalHumanVideo(&model.Show2DDigitalHumanVideoRequest{JobId: jobID, XAppUserId: ptr(user)})
		if err != nil {
			t.Fatalf("Show2DDigitalHumanVideo %s while waiting: %v", jobID, err)
		}
		if shown.State == want {
			count.Add(1)
			return shown
		}
		if shown.State != states.WAITING && shown.State != states.PROCESSING {
			t.Fatalf("video job %s ended %s, not %s: %+v", jobID, shown.State.Value(), want.Value(), shown)
		}
		if time.Now().After(deadline) {
			t.Fatalf("video job %s is still %s after %s", jobID, shown.State.Value(), videoTimeout)
		}
		time.Sleep(videoPoll)
	}
}

type probed struct {
	duration float64
	codecs   []string
	width    int
	height   int
}

func ffprobe(t *testing.T, data []byte) probed {
	t.Helper()
	file := filepath.Join(t.TempDir(), "video.mp4")
	noErr(t, os.WriteFile(file, data, 0o600), "write the video")
	out, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", file).Output()
	noErr(t, err, "ffprobe")
	var parsed struct {
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
		Streams []struct {
			CodecType string `json:"codec_type"`
			CodecName string `json:"codec_name"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
		} `json:"streams"`
	}
	noErr(t, json.Unmarshal(out, &parsed), "ffprobe JSON")
	result := probed{codecs: []string{}}
	result.duration, err = strconv.ParseFloat(parsed.Format.Duration, 64)
	noErr(t, err, "ffprobe duration "+parsed.Format.Duration)
	for _, stream := range parsed.Streams {
		result.codecs = append(result.codecs, stream.CodecName)
		if stream.CodecType == "video" {
			result.width, result.height = stream.Width, stream.Height
		}
	}
	sort.Strings(result.codecs)
	return result
}

// downloadVideo fetches a SUCCEED job's video and cover and checks them; answers the probe.
func downloadVideo(t *testing.T, shown *model.Show2DDigitalHumanVideoResponse) probed {
	t.Helper()
	output := val(t, shown.OutputAssetConfig, "output_asset_config")
	videoURL := val(t, output.PreviewVideoUrl, "output_asset_config.preview_video_url")
	coverURL := val(t, output.CoverUrl, "output_asset_config.cover_url")
	for _, address := range []string{videoURL, coverURL} {
		parsed, err := url.Parse(address)
		check(t, err == nil && parsed.Scheme == "http" && parsed.Host != "", "an absolute URL: %q", address)
		expires, err := strconv.ParseInt(parsed.Query().Get("expires"), 10, 64)
		noErr(t, err, "the URL's expires parameter: "+address)
		left := time.Until(time.Unix(expires, 0))
		check(t, math.Abs(left.Hours()-24) < 0.05, "the URL expires after 24 hours: %s left", left)
	}
	status, video := download(t, videoURL)
	eq(t, status, 200, "video download")
	status, cover := download(t, coverURL)
	eq(t, status, 200, "cover download")
	check(t, len(cover) > 3 && cover[0] == 0xff && cover[1] == 0xd8 && cover[2] == 0xff, "the cover is a JPEG")
	result := ffprobe(t, video)
	eq(t, result.codecs, []string{"aac", "h264"}, "the MP4's codecs")
	return result
}

func listVideos(t *testing.T, user string, filters func(*model.ListDigitalHumanVideoRequest)) *model.ListDigitalHumanVideoResponse {
	t.Helper()
	request := &model.ListDigitalHumanVideoRequest{XAppUserId: ptr(user)}
	if filters != nil {
		filters(request)
	}
	listed, err := client().ListDigitalHumanVideo(request)
	noErr(t, err, "ListDigitalHumanVideo")
	return listed
}

func videoIDs(listed *model.ListDigitalHumanVideoResponse) []string {
	ids := []string{}
	if listed.Jobs != nil {
		for _, job := range *listed.Jobs {
			ids = append(ids, job.JobId)
		}
	}
	return ids
}

func videoCount(t *testing.T, user string) int32 {
	t.Helper()
	return val(t, listVideos(t, user, func(r *model.ListDigitalHumanVideoRequest) { r.Limit = ptr(int32(100)) }).Count, "count")
}

// -------------------------------------------------------------------------------------------------
// The scenario
// -------------------------------------------------------------------------------------------------

func TestVideoFinishedModel(t *testing.T) {
	videos.modelAsset = finishedModel(t, videoAppUser, "video_presenter")
	shown := listJobs(t, videoAppUser, nil)
	eq(t, len(jobIDs(shown)), 1, "the video app user has one training job")
	eq(t, (*shown.Jobs)[0].State.Value(), "JOB_SUCCESS", "the stand-in finished it")
	// (The stand-in sets the asset_id column the video jobs look models up by; the training job's
	// own asset_id attribute, which its Show and List answer, is left alone.)
}

func TestVideoFromText(t *testing.T) {
	need(t, videos.modelAsset != "")
	states := model.GetShow2DDigitalHumanVideoResponseStateEnum()
	jobID := mustCreateVideo(t, videoAppUser, &model.Create2DDigitalHumanVideoReq{
		ScriptId:     ptr("script-go-1"),
		ModelAssetId: ptr(videos.modelAsset),
		VideoConfig: &model.VideoConfig{
			Codec:     ptr(model.GetVideoConfigCodecEnum().H264),
			ClipMode:  ptr(model.GetVideoConfigClipModeEnum().RESIZE),
			FrameRate: ptr(model.GetVideoConfigFrameRateEnum().E_25),
			Bitrate:   4000, Width: 1920, Height: 1080,
		},
		ShootScripts:      textScripts("Hello, and welcome to the show."),
		OutputAssetConfig: &model.OutputAssetConfig{AssetName: "welcome video"},
	})

	done := waitForVideo(t, videoAppUser, jobID, states.SUCCEED)
	videos.textJob = jobID
	eq(t, done.HttpStatusCode, 200, "Show status")
	isHex32(t, done.XRequestId, "X-Request-Id")
	eq(t, done.JobId, jobID, "job_id")
	eq(t, done.JobType, ptr(model.GetShow2DDigitalHumanVideoResponseJobTypeEnum().E_2_D_DIGITAL_HUMAN_VIDEO), "job_type")
	isTime(t, done.CreateTime, "create_time")
	isTime(t, done.LastupdateTime, "lastupdate_time")
	isTime(t, done.StartTime, "start_time")
	isTime(t, done.EndTime, "end_time")
	eq(t, done.ErrorInfo, (*model.ErrorResponse)(nil), "no error_info")
	duration := float64(val(t, done.Duration, "duration"))
	check(t, duration > 0, "duration is positive: %v", duration)
	output := val(t, done.OutputAssetConfig, "output_asset_config")
	eq(t, output.AssetName, "welcome video", "output_asset_config.asset_name")
	isHex32(t, &output.AssetId, "output_asset_config.asset_id")
	eq(t, done.ShootScripts, (*[]model.ShootScriptItem)(nil), "no shoot_scripts without show_script")
	eq(t, done.ModelAssetId, (*string)(nil), "no model_asset_id without show_script")
	raw := wire.raw(t)
	eq(t, unknownKeys(raw, model.Show2DDigitalHumanVideoResponse{}), []string{}, "keys of the Show answer the SDK model does not know")
	rawOutput, _ := raw["output_asset_config"].(map[string]any)
	eq(t, unknownKeys(rawOutput, model.OutputAssetInfo{}), []string{}, "keys of output_asset_config the SDK model does not know")

	video := downloadVideo(t, done)
	eq(t, []int{video.width, video.height}, []int{1920, 1080}, "the MP4's size")
	check(t, math.Abs(video.duration-duration) <= 0.2, "the MP4 lasts %.3f s, the job says %.3f s", video.duration, duration)
}

func TestVideoFromAudioURL(t *testing.T) {
	need(t, videos.modelAsset != "")
	host := audio(t)
	before := len(host.requested())
	jobID := mustCreateVideo(t, videoAppUser, &model.Create2DDigitalHumanVideoReq{
		ModelAssetId: ptr(videos.modelAsset),
		VideoConfig:  &model.VideoConfig{Codec: ptr(model.GetVideoConfigCodecEnum().H264), Width: 1280, Height: 720},
		ShootScripts: audioScripts(host.base + "/speech.wav"),
	})
	done := waitForVideo(t, videoAppUser, jobID, model.GetShow2DDigitalHumanVideoResponseStateEnum().SUCCEED)
	videos.audioJob = jobID
	eq(t, host.requested()[before:], []string{"/speech.wav"}, "the audio was fetched once")
	duration := float64(val(t, done.Duration, "duration"))
	check(t, math.Abs(duration-3) <= 0.2, "the job lasts %.3f s for 3 s of audio", duration)
	video := downloadVideo(t, done)
	eq(t, []int{video.width, video.height}, []int{1280, 720}, "the MP4's size")
	check(t, math.Abs(video.duration-3) <= 0.2, "the MP4 lasts %.3f s for 3 s of audio", video.duration)
}

func TestVideoShowScript(t *testing.T) {
	need(t, videos.textJob != "" && videos.audioJob != "")
	shown := showVideo(t, videoAppUser, videos.textJob, true)
	eq(t, shown.State, model.GetShow2DDigitalHumanVideoResponseStateEnum().SUCCEED, "state")
	eq(t, shown.ModelAssetId, ptr(videos.modelAsset), "model_asset_id")
	eq(t, shown.ScriptId, ptr("script-go-1"), "script_id")
	eq(t, shown.VideoMakingType, ptr(model.GetShow2DDigitalHumanVideoResponseVideoMakingTypeEnum().MODEL), "video_making_type")
	scripts := val(t, shown.ShootScripts, "shoot_scripts")
	eq(t, len(scripts), 1, "one shoot script")
	script := val(t, scripts[0].ShootScript, "shoot_scripts[0].shoot_script")
	eq(t, script.ScriptType, ptr(model.GetShootScriptScriptTypeEnum().TEXT), "script_type")
	eq(t, val(t, script.TextConfig, "text_config").Text, "Hello, and welcome to the show.", "text")
	eq(t, scripts[0].SequenceNo, ptr(int32(0)), "sequence_no")
	videoConfig := val(t, shown.VideoConfig, "video_config")
	eq(t, []int32{videoConfig.Width, videoConfig.Height, videoConfig.Bitrate}, []int32{1920, 1080, 4000}, "video_config width, height, bitrate")
	eq(t, videoConfig.Codec, ptr(model.GetVideoConfigCodecEnum().H264), "video_config.codec")
	eq(t, unknownKeys(wire.raw(t), model.Show2DDigitalHumanVideoResponse{}), []string{}, "keys of Show (show_script) the SDK model does not know")

	audioShown := showVideo(t, videoAppUser, videos.audioJob, true)
	audioScript := val(t, val(t, audioShown.ShootScripts, "shoot_scripts")[0].ShootScript, "shoot_script")
	eq(t, audioScript.ScriptType, ptr(model.GetShootScriptScriptTypeEnum().AUDIO), "script_type")
	eq(t, audioScript.AudioDriveFileExternalUrl, ptr(audio(t).base+"/speech.wav"), "audio_drive_file_external_url")
	audioDuration := float64(val(t, audioScript.AudioDuration, "audio_duration"))
	check(t, math.Abs(audioDuration-3) < 0.05, "Show answers the audio duration: %v", audioDuration)
}

func TestVideoCancel(t *testing.T) {
	need(t, videos.textJob != "")
	_, err := client().Cancel2DDigitalHumanVideo(&model.Cancel2DDigitalHumanVideoRequest{JobId: videos.textJob, XAppUserId: ptr(videoAppUser)})
	service := expectServiceError(t, err, 400, "MSS.20010002", wire)
	check(t, strings.Contains(service.ErrorMessage, "SUCCEED"), "the message names the state: %q", service.ErrorMessage)
	eq(t, showVideo(t, videoAppUser, videos.textJob, false).State, model.GetShow2DDigitalHumanVideoResponseStateEnum().SUCCEED, "still SUCCEED")

	_, err = client().Cancel2DDigitalHumanVideo(&model.Cancel2DDigitalHumanVideoRequest{JobId: strings.Repeat("0", 32), XAppUserId: ptr(videoAppUser)})
	expectServiceError(t, err, 404, "MSS.20040001", wire)
	_, err = client().Show2DDigitalHumanVideo(&model.Show2DDigitalHumanVideoRequest{JobId: strings.Repeat("0", 32), XAppUserId: ptr(videoAppUser)})
	expectServiceError(t, err, 404, "MSS.20040001", wire)
}

func TestVideoListFilters(t *testing.T) {
	need(t, videos.modelAsset != "" && videos.textJob != "" && videos.audioJob != "")
	states := model.GetShow2DDigitalHumanVideoResponseStateEnum()
	names := []string{"golist-alpha", "golist-beta", "golist-gamma"}
	ids := []string{}
	for _, name := range names {
		// Everything the Go SDK sends as 0 or "" (bitrate, width, height, voice_asset_id) is unset.
		id := mustCreateVideo(t, videoAppUser, &model.Create2DDigitalHumanVideoReq{
			ModelAssetId:      ptr(videos.modelAsset),
			VoiceConfig:       &model.VoiceConfig{},
			VideoConfig:       &model.VideoConfig{},
			ShootScripts:      textScripts("one two"),
			OutputAssetConfig: &model.OutputAssetConfig{AssetName: name},
		})
		ids = append(ids, id)
		waitForVideo(t, videoAppUser, id, states.SUCCEED)
	}
	defaults := downloadVideo(t, showVideo(t, videoAppUser, ids[0], false))
	eq(t, []int{defaults.width, defaults.height}, []int{1920, 1080}, "width and height 0 mean the default size")

	all := listVideos(t, videoAppUser, func(r *model.ListDigitalHumanVideoRequest) { r.Limit = ptr(int32(100)) })
	eq(t, all.HttpStatusCode, 200, "List status")
	isHex32(t, all.XRequestId, "X-Request-Id")
	eq(t, all.Count, ptr(int32(5)), "count: every job of the app user")
	eq(t, videoIDs(all), append([]string{videos.textJob, videos.audioJob}, ids...), "ascending by create_time by default")
	listWire := wire.raw(t)
	eq(t, unknownKeys(listWire, model.ListDigitalHumanVideoResponse{}), []string{}, "keys of the List answer the SDK model does not know")
	wireJobs, _ := listWire["jobs"].([]any)
	for _, job := range wireJobs {
		object, _ := job.(map[string]any)
		eq(t, unknownKeys(object, model.DigitalHumanVideo{}), []string{}, "keys of a list item the SDK model does not know")
	}
	item := (*all.Jobs)[0]
	shown := showVideo(t, videoAppUser, videos.textJob, false)
	eq(t, item.State.Value(), "SUCCEED", "list item state")
	eq(t, val(t, item.JobType, "job_type").Value(), "2D_DIGITAL_HUMAN_VIDEO", "list item job_type")
	eq(t, item.Duration, shown.Duration, "list item duration equals Show's")
	eq(t, item.CreateTime, shown.CreateTime, "list item create_time equals Show's")
	itemOutput := val(t, item.OutputAssetConfig, "list item output_asset_config")
	eq(t, itemOutput.AssetId, val(t, shown.OutputAssetConfig, "output_asset_config").AssetId, "list item asset_id equals Show's")
	check(t, itemOutput.PreviewVideoUrl != nil, "list item has a preview_video_url")

	filtered := func(filters func(*model.ListDigitalHumanVideoRequest)) *model.ListDigitalHumanVideoResponse {
		return listVideos(t, videoAppUser, filters)
	}
	fuzzy := func(r *model.ListDigitalHumanVideoRequest) {
		r.AssetName, r.FuzzyQueryField = ptr("golist-"), &[]string{"asset_name"}
	}
	both := filtered(func(r *model.ListDigitalHumanVideoRequest) { fuzzy(r); r.Limit = ptr(int32(100)) })
	eq(t, both.Count, ptr(int32(3)), "fuzzy asset_name count")
	eq(t, videoIDs(both), ids, "fuzzy asset_name")
	exact := filtered(func(r *model.ListDigitalHumanVideoRequest) { r.AssetName = ptr("golist-beta") })
	eq(t, exact.Count, ptr(int32(1)), "exact asset_name count")
	eq(t, videoIDs(exact), []string{ids[1]}, "exact asset_name")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) { r.AssetName = ptr("golist-") }).Count, ptr(int32(0)), "asset_name without fuzzy_query_field is exact")
	page := filtered(func(r *model.ListDigitalHumanVideoRequest) {
		fuzzy(r)
		r.Limit, r.Offset, r.SortDir = ptr(int32(1)), ptr(int32(1)), ptr("desc")
	})
	eq(t, page.Count, ptr(int32(3)), "count is every match, not the page size")
	eq(t, videoIDs(page), []string{ids[1]}, "limit=1 offset=1 sort_dir=desc")
	firstPage := filtered(func(r *model.ListDigitalHumanVideoRequest) {
		fuzzy(r)
		r.Limit, r.Offset, r.SortKey = ptr(int32(2)), ptr(int32(0)), ptr("create_time")
	})
	eq(t, videoIDs(firstPage), ids[:2], "limit=2 offset=0")
	lastPage := filtered(func(r *model.ListDigitalHumanVideoRequest) {
		fuzzy(r)
		r.Limit, r.Offset = ptr(int32(2)), ptr(int32(2))
	})
	eq(t, videoIDs(lastPage), ids[2:], "limit=2 offset=2")

	byID := filtered(func(r *model.ListDigitalHumanVideoRequest) { r.JobId = ptr(ids[2]) })
	eq(t, byID.Count, ptr(int32(1)), "job_id count")
	eq(t, videoIDs(byID), []string{ids[2]}, "job_id")
	byIDs := filtered(func(r *model.ListDigitalHumanVideoRequest) { r.JobIds = &[]string{ids[0], ids[2]} })
	eq(t, videoIDs(byIDs), []string{ids[0], ids[2]}, "job_ids (repeated keys)")

	succeeded := filtered(func(r *model.ListDigitalHumanVideoRequest) { r.State, r.Limit = ptr("SUCCEED"), ptr(int32(100)) })
	eq(t, succeeded.Count, ptr(int32(5)), "state=SUCCEED count")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) { r.State = ptr("FAILED,CANCELED") }).Count, ptr(int32(0)), "state=FAILED,CANCELED count")
	withState := filtered(func(r *model.ListDigitalHumanVideoRequest) { fuzzy(r); r.State = ptr("WAITING,SUCCEED") })
	eq(t, videoIDs(withState), ids, "state list with fuzzy asset_name")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) {
		r.JobType = ptr("2D_DIGITAL_HUMAN_VIDEO")
		r.Limit = ptr(int32(100))
	}).Count, ptr(int32(5)), "job_type=2D_DIGITAL_HUMAN_VIDEO")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) { r.ScriptId = ptr("script-go-1") }).Count, ptr(int32(1)), "script_id")
	future := time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) { r.CreateSince = ptr(future) }).Count, ptr(int32(0)), "create_since in the future")
	eq(t, filtered(func(r *model.ListDigitalHumanVideoRequest) { r.CreateUntil = ptr("2000-01-01T00:00:00Z") }).Count, ptr(int32(0)), "create_until before everything")

	_, err := client().ListDigitalHumanVideo(&model.ListDigitalHumanVideoRequest{XAppUserId: ptr(videoAppUser), State: ptr("DONE")})
	expectServiceError(t, err, 400, "MSS.00000003", wire)
}

func TestVideoCreateErrors(t *testing.T) {
	need(t, videos.modelAsset != "")
	host := audio(t)
	stored := videoCount(t, videoAppUser)
	text := func(asset string, config *model.VideoConfig) *model.Create2DDigitalHumanVideoReq {
		if config == nil {
			config = &model.VideoConfig{}
		}
		return &model.Create2DDigitalHumanVideoReq{ModelAssetId: ptr(asset), VideoConfig: config, ShootScripts: textScripts("hi")}
	}

	_, err := createVideo(videoAppUser, text(strings.Repeat("0", 32), nil))
	expectServiceError(t, err, 404, "MSS.20040002", wire)

	unfinished := trainingJobWithAsset(t, videoAppUser, "video_in_training", false)
	_, err = createVideo(videoAppUser, text(unfinished, nil))
	service := expectServiceError(t, err, 400, "MSS.20040003", wire)
	check(t, strings.Contains(service.ErrorMessage, "WAIT_FILE_UPLOAD"), "the message names the model's state: %q", service.ErrorMessage)

	_, err = createVideo(videoAppUser, text(videos.modelAsset, &model.VideoConfig{Codec: ptr(model.GetVideoConfigCodecEnum().VP8)}))
	service = expectServiceError(t, err, 400, "MSS.20040004", wire)
	check(t, strings.Contains(service.ErrorMessage, "VP8"), "the message names the codec: %q", service.ErrorMessage)
	_, err = createVideo(videoAppUser, text(videos.modelAsset, &model.VideoConfig{Width: 1080, Height: 1920}))
	expectServiceError(t, err, 400, "MSS.20040004", wire)
	_, err = createVideo(videoAppUser, text(videos.modelAsset, &model.VideoConfig{FrameRate: ptr(model.GetVideoConfigFrameRateEnum().E_30)}))
	expectServiceError(t, err, 400, "MSS.20040004", wire)
	_, err = createVideo(videoAppUser, text(videos.modelAsset, &model.VideoConfig{Bitrate: 10}))
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = createVideo(videoAppUser, &model.Create2DDigitalHumanVideoReq{
		ModelAssetId: ptr(videos.modelAsset), VideoConfig: &model.VideoConfig{}, ShootScripts: &[]model.ShootScriptItem{}})
	expectServiceError(t, err, 400, "MSS.10000003", wire)

	before := len(host.requested())
	for _, address := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://127.0.0.1:1/x.wav",
		host.base + "/redirect",
	} {
		_, err = createVideo(videoAppUser, &model.Create2DDigitalHumanVideoReq{
			ModelAssetId: ptr(videos.modelAsset), VideoConfig: &model.VideoConfig{Width: 1280, Height: 720}, ShootScripts: audioScripts(address)})
		service = expectServiceError(t, err, 400, "MSS.20040005", wire)
		if strings.HasSuffix(address, "/redirect") {
			check(t, strings.Contains(service.ErrorMessage, "redirect"), "the message names the redirect: %q", service.ErrorMessage)
		}
	}
	_, err = createVideo(videoAppUser, &model.Create2DDigitalHumanVideoReq{
		ModelAssetId: ptr(videos.modelAsset), VideoConfig: &model.VideoConfig{}, ShootScripts: audioScripts(host.base + "/missing.wav")})
	expectServiceError(t, err, 400, "MSS.20040006", wire)
	eq(t, host.requested()[before:], []string{"/redirect", "/missing.wav"}, "only the allowed host was contacted, and the redirect was not followed")
	eq(t, videoCount(t, videoAppUser), stored, "no job was stored")
}

func TestVideoAppUserIsolation(t *testing.T) {
	aliceModel := finishedModel(t, aliceAppUser, "alice_presenter")
	body := &model.Create2DDigitalHumanVideoReq{ModelAssetId: ptr(aliceModel), VideoConfig: &model.VideoConfig{}, ShootScripts: textScripts("hi")}
	_, err := createVideo(bobAppUser, body)
	expectServiceError(t, err, 404, "MSS.20040002", wire)

	jobID := mustCreateVideo(t, aliceAppUser, body)
	eq(t, showVideo(t, aliceAppUser, jobID, false).JobId, jobID, "alice sees her video")
	_, err = client().Show2DDigitalHumanVideo(&model.Show2DDigitalHumanVideoRequest{JobId: jobID, XAppUserId: ptr(bobAppUser)})
	expectServiceError(t, err, 404, "MSS.20040001", wire)
	_, err = client().Cancel2DDigitalHumanVideo(&model.Cancel2DDigitalHumanVideoRequest{JobId: jobID, XAppUserId: ptr(bobAppUser)})
	expectServiceError(t, err, 404, "MSS.20040001", wire)
	bobs := listVideos(t, bobAppUser, func(r *model.ListDigitalHumanVideoRequest) { r.Limit = ptr(int32(100)) })
	eq(t, bobs.Count, ptr(int32(0)), "bob has no videos")
	eq(t, videoIDs(bobs), []string{}, "bob's list")
	alices := listVideos(t, aliceAppUser, func(r *model.ListDigitalHumanVideoRequest) { r.Limit = ptr(int32(100)) })
	eq(t, videoIDs(alices), []string{jobID}, "alice's list")
	waitForVideo(t, aliceAppUser, jobID, model.GetShow2DDigitalHumanVideoResponseStateEnum().SUCCEED)
}
