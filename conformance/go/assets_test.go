// The asset library through the official Go SDK (v0.1.188), unchanged: ListAssets, ShowAsset,
// CreateDigitalAsset, UpdateDigitalAsset, DeleteAsset, RestoreAsset, ListAssetSummary and the file
// calls (CreateFile, CreateLargeFile, the PUTs to their upload URLs, ConfirmFileUpload, DeleteFile),
// and the media metadata read from a MAIN file.
//
// The assets the product makes come from the emulated pipeline (conformance/server.sh): a training
// job submitted for review waits in AUTO_VERIFYING until this suite releases it with the admin
// token, then every stage succeeds and it reaches JOB_SUCCESS with its HUMAN_MODEL_2D asset; a
// video job renders a test-pattern MP4 (held in WAITING while the suite looks at it). The tests
// run in file order (before training_jobs_test.go) and build on each other.
//
// Every answer is also compared whole with the JSON the server sent (sameAsWire): the SDK's
// struct, marshalled back, drops no key, adds none (Go's non-pointer fields would) and changes no
// value. The Go SDK always sends the non-pointer fields of FilesCreateReq, LargeFilesCreateReq,
// ConfirmFileUploadRequestBody and the Create body; the calls below set them all.
package conformance

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1/model"
)

const (
	assetAppUser = "assets-go"
	assetAlice   = "assets-go-alice"
	assetBob     = "assets-go-bob"
	unknownID    = "00000000000000000000000000000000"
)

// What the asset scenario learns as it goes.
var assets struct {
	model, video, image string
	imageCover          []byte
	listed              []string
}

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------

// sameAsWire: the SDK's answer, marshalled as JSON, is the JSON the server last sent (headers aside).
func sameAsWire(t *testing.T, answer any, what string) {
	t.Helper()
	encoded, err := json.Marshal(answer)
	noErr(t, err, what+": marshal the SDK's answer")
	view := map[string]any{}
	noErr(t, json.Unmarshal(encoded, &view), what+": the SDK's answer as JSON")
	delete(view, "X-Request-Id")
	eq(t, view, wire.raw(t), what+": the SDK's answer against the wire JSON")
}

// answered: a 200 with its own request id, the X-Request-Id header, and an answer equal to the wire.
func answered(t *testing.T, status int, requestID *string, answer any, what string) {
	t.Helper()
	eq(t, status, 200, what+" status")
	isHex32(t, requestID, what+" X-Request-Id")
	eq(t, *requestID, wire.lastRequestID(), what+" XRequestId is the X-Request-Id header")
	sameAsWire(t, answer, what)
}

// enumOf: an SDK enum of any value (the SDK's constructors only know the documented ones).
func enumOf[T any](t *testing.T, value string) T {
	t.Helper()
	var enum T
	if err := json.Unmarshal([]byte(strconv.Quote(value)), &enum); err != nil {
		t.Fatalf("enum %q: %v", value, err)
	}
	return enum
}

func md5Base64(data []byte) string {
	sum := md5.Sum(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// emulatorCall: the emulator control API with the admin token of conformance/server.sh (not an SDK call).
func emulatorCall(t *testing.T, method, path string, body []byte) []byte {
	t.Helper()
	request, err := http.NewRequest(method, env().baseURL+"/v1/emulator"+path, bytes.NewReader(body))
	noErr(t, err, "emulator request")
	request.Header.Set("X-Auth-Token", os.Getenv("AF_ADMIN_TOKEN"))
	request.Header.Set("Content-Type", "application/json")
	answer, err := http.DefaultClient.Do(request)
	noErr(t, err, method+" /v1/emulator"+path)
	defer answer.Body.Close()
	content, _ := io.ReadAll(answer.Body)
	eq(t, answer.StatusCode, 200, method+" /v1/emulator"+path+": "+string(content))
	return content
}

func showAsset(user *string, assetID string) (*model.ShowAssetResponse, error) {
	return client().ShowAsset(&model.ShowAssetRequest{XAppUserId: user, AssetId: assetID})
}

func mustShowAsset(t *testing.T, assetID string) *model.ShowAssetResponse {
	t.Helper()
	return mustShowAssetAs(t, ptr(assetAppUser), assetID)
}

func updateAsset(user *string, assetID string, body *model.UpdateDigitalAssetRequestBody) (*model.UpdateDigitalAssetResponse, error) {
	return client().UpdateDigitalAsset(&model.UpdateDigitalAssetRequest{XAppUserId: user, AssetId: assetID, Body: body})
}

func deleteAsset(user *string, assetID string, mode *string) (*model.DeleteAssetResponse, error) {
	return client().DeleteAsset(&model.DeleteAssetRequest{XAppUserId: user, AssetId: assetID, Mode: mode})
}

func restoreAsset(user *string, assetID string) (*model.RestoreAssetResponse, error) {
	return client().RestoreAsset(&model.RestoreAssetRequest{XAppUserId: user, AssetId: assetID})
}

func createAsset(user *string, name, assetType string) (*model.CreateDigitalAssetResponse, error) {
	return client().CreateDigitalAsset(&model.CreateDigitalAssetRequest{XAppUserId: user, Body: &model.CreateDigitalAssetRequestBody{
		AssetName: name, AssetType: assetTypeOf(assetType)}})
}

func assetTypeOf(value string) model.CreateDigitalAssetRequestBodyAssetType {
	var enum model.CreateDigitalAssetRequestBodyAssetType
	_ = enum.UnmarshalJSON([]byte(strconv.Quote(value)))
	return enum
}

func listAssets(t *testing.T, user *string, filters func(*model.ListAssetsRequest)) *model.ListAssetsResponse {
	t.Helper()
	request := &model.ListAssetsRequest{XAppUserId: user}
	if filters != nil {
		filters(request)
	}
	listed, err := client().ListAssets(request)
	noErr(t, err, "ListAssets")
	return listed
}

func listedIDs(listed *model.ListAssetsResponse) []string {
	ids := []string{}
	if listed.Assets != nil {
		for _, asset := range *listed.Assets {
			ids = append(ids, *asset.AssetId)
		}
	}
	return ids
}

func summaries(user *string, ids []string) (*model.ListAssetSummaryResponse, error) {
	return client().ListAssetSummary(&model.ListAssetSummaryRequest{XAppUserId: user, Body: &model.ListAssetSummarysReq{AssetIds: ids}})
}

func imageFile(assetID string, data []byte, category, name string) *model.FilesCreateReq {
	return &model.FilesCreateReq{FileName: name, FileMd5: md5Base64(data), FileSize: int64(len(data)), FileType: "png",
		AssetId: assetID, AssetFileCategory: category}
}

func createFile(user *string, body *model.FilesCreateReq) (*model.CreateFileResponse, error) {
	return client().CreateFile(&model.CreateFileRequest{XAppUserId: user, Body: body})
}

func createLargeFile(user *string, body *model.LargeFilesCreateReq) (*model.CreateLargeFileResponse, error) {
	return client().CreateLargeFile(&model.CreateLargeFileRequest{XAppUserId: user, Body: body})
}

// toneWAV: a real WAV, one second of mono 16-bit PCM at 8 kHz (128 kbit/s), a 440 Hz square wave.
func toneWAV() []byte {
	const rate = 8000
	samples := make([]byte, 2*rate)
	for i := 0; i < rate; i++ {
		level := int16(-8192)
		if (i*880/rate)%2 == 1 {
			level = 8192
		}
		binary.LittleEndian.PutUint16(samples[2*i:], uint16(level))
	}
	var wav bytes.Buffer
	wav.WriteString("RIFF")
	_ = binary.Write(&wav, binary.LittleEndian, uint32(36+len(samples)))
	wav.WriteString("WAVEfmt ")
	_ = binary.Write(&wav, binary.LittleEndian, struct {
		Size                      uint32
		Format, Channels          uint16
		SampleRate, BytesPerSec   uint32
		BlockAlign, BitsPerSample uint16
	}{16, 1, 1, rate, 2 * rate, 2, 16})
	wav.WriteString("data")
	_ = binary.Write(&wav, binary.LittleEndian, uint32(len(samples)))
	wav.Write(samples)
	return wav.Bytes()
}

// tinyPNG: a real PNG, 2×3 pixels.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var picture bytes.Buffer
	noErr(t, png.Encode(&picture, image.NewRGBA(image.Rect(0, 0, 2, 3))), "encode a PNG")
	return picture.Bytes()
}

// confirmedMainFile checks the asset's first file: the MAIN file `fileID`, CREATED, with the name,
// type, size and MD5 of `data`, and a download_url that answers `data`.
func confirmedMainFile(t *testing.T, shown *model.ShowAssetResponse, fileID, name, fileType string, data []byte) {
	t.Helper()
	main := val(t, shown.Files, "files")[0]
	eq(t, []*string{main.FileId, main.FileName, main.FileMd5, main.FileType, main.AssetFileCategory},
		[]*string{ptr(fileID), ptr(name), ptr(md5Base64(data)), ptr(fileType), ptr("MAIN")}, "the MAIN file")
	eq(t, main.FileSize, ptr(int64(len(data))), "file_size")
	eq(t, val(t, main.State, "state").Value(), "CREATED", "state")
	status, body := download(t, val(t, main.DownloadUrl, "download_url"))
	eq(t, status, 200, "download")
	eq(t, body, data, "download_url answers the bytes")
}

func confirmFile(t *testing.T, user *string, fileID, fileState string) (*model.ConfirmFileUploadResponse, error) {
	t.Helper()
	return client().ConfirmFileUpload(&model.ConfirmFileUploadRequest{XAppUserId: user, FileId: fileID,
		Body: &model.ConfirmFileUploadRequestBody{State: enumOf[model.ConfirmFileUploadRequestBodyState](t, fileState)}})
}

func deleteFile(user *string, fileID string) (*model.DeleteFileResponse, error) {
	return client().DeleteFile(&model.DeleteFileRequest{XAppUserId: user, FileId: fileID})
}

// trainedModel takes a training job through the emulated pipeline to JOB_SUCCESS: its job and asset ids.
func trainedModel(t *testing.T, user, name string) (string, string) {
	t.Helper()
	created, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		XAppUserId: ptr(user), Body: &model.Create2dModelTrainingJobReq{Name: name}})
	noErr(t, err, "Create2dModelTrainingJob "+name)
	jobID := val(t, created.JobId, "job_id")
	upload(t, val(t, created.TrainingVideoUploadUrl, "training_video_upload_url")[0], []byte("a few bytes standing in for a video"))
	upload(t, val(t, created.IdCardImage1UploadUrl, "id_card_image1_upload_url"), []byte("id-card-front"))
	upload(t, val(t, created.IdCardImage2UploadUrl, "id_card_image2_upload_url"), []byte("id-card-back"))
	upload(t, val(t, created.GrantFileUploadUrl, "grant_file_upload_url"), []byte("grant-letter"))
	commands := model.GetExecute2dModelTrainingCommandByUserReqCommandEnum()
	for _, name := range []model.Execute2dModelTrainingCommandByUserReqCommand{commands.CONFIRM_MULTIPART_UPLOADED, commands.SUBMITVERIFYING} {
		answer, err := client().Execute2dModelTrainingCommandByUser(&model.Execute2dModelTrainingCommandByUserRequest{
			JobId: jobID, XAppUserId: ptr(user), Body: &model.Execute2dModelTrainingCommandByUserReq{Command: name}})
		noErr(t, err, name.Value())
		eq(t, val(t, answer.CommondResult, "commond_result").Value(), "EXCUTE_SUCCESS", name.Value())
	}
	emulatorCall(t, http.MethodPost, "/jobs/"+jobID+"/release", nil)
	deadline := time.Now().Add(videoTimeout)
	for {
		shown, err := client().Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: jobID, XAppUserId: ptr(user)})
		if err != nil {
			t.Fatalf("Show2dModelTrainingJob %s while waiting: %v", jobID, err)
		}
		if shown.State.Value() == "JOB_SUCCESS" {
			isHex32(t, shown.AssetId, "the training job's asset_id")
			return jobID, *shown.AssetId
		}
		if strings.HasSuffix(shown.State.Value(), "FAILED") || time.Now().After(deadline) {
			t.Fatalf("training job %s is %s, not JOB_SUCCESS", jobID, shown.State.Value())
		}
		time.Sleep(videoPoll)
	}
}

func libraryVideo(modelAsset, name string) *model.Create2DDigitalHumanVideoReq {
	return &model.Create2DDigitalHumanVideoReq{
		ModelAssetId:      ptr(modelAsset),
		VideoConfig:       &model.VideoConfig{Codec: ptr(model.GetVideoConfigCodecEnum().H264), Width: 1280, Height: 720},
		ShootScripts:      textScripts("Hello from the library."),
		OutputAssetConfig: &model.OutputAssetConfig{AssetName: name},
	}
}

type propertyPair struct{ key, value string }

func properties(t *testing.T, list *[]model.SystemProperty) []propertyPair {
	t.Helper()
	pairs := []propertyPair{}
	for _, property := range val(t, list, "system_properties") {
		pairs = append(pairs, propertyPair{val(t, property.Key, "system_properties[].key").Value(), val(t, property.Value, "system_properties[].value")})
	}
	return pairs
}

// -------------------------------------------------------------------------------------------------
// The assets the product makes
// -------------------------------------------------------------------------------------------------

func TestAssetOfATrainedModel(t *testing.T) {
	srv := env()
	jobID, assetID := trainedModel(t, assetAppUser, "go asset presenter")
	assets.model = assetID
	shown := mustShowAsset(t, assetID)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowAsset of the model")
	eq(t, shown.AssetId, ptr(assetID), "asset_id is the training job's asset_id")
	eq(t, shown.ProjectId, ptr(srv.projectID), "project_id")
	eq(t, shown.AssetName, ptr("go asset presenter"), "asset_name is the job's name")
	eq(t, shown.AppUserId, ptr(assetAppUser), "app_user_id is the job's")
	eq(t, val(t, shown.AssetType, "asset_type"), model.GetShowAssetResponseAssetTypeEnum().HUMAN_MODEL_2_D, "asset_type")
	eq(t, val(t, shown.AssetState, "asset_state"), model.GetShowAssetResponseAssetStateEnum().ACTIVED, "asset_state")
	eq(t, shown.SupportedService, &[]model.SupportedServiceEnum{model.GetSupportedServiceEnumEnum().VIDEO_2_D, model.GetSupportedServiceEnumEnum().LIVE_2_D}, "supported_service (the training job's default)")
	eq(t, shown.AssetOrder, ptr(int32(0)), "asset_order")
	isTime(t, shown.CreateTime, "create_time")
	isTime(t, shown.UpdateTime, "update_time")
	meta := val(t, val(t, shown.AssetExtraMeta, "asset_extra_meta").HumanModel2dMeta, "human_model_2d_meta")
	eq(t, meta.ModelResolution, ptr("1080P"), "model_resolution (the job's default)")
	for what, flag := range map[string]*bool{"is_flexus": meta.IsFlexus, "is_live_copy": meta.IsLiveCopy,
		"is_action_editable": meta.IsActionEditable, "is_real_background": meta.IsRealBackground,
		"support_live": meta.SupportLive, "is_with_action_library": meta.IsWithActionLibrary} {
		eq(t, flag, ptr(false), "human_model_2d_meta."+what)
	}
	eq(t, meta.ModelVersion, (*model.HumanModel2DAssetMetaModelVersion)(nil), "model_version is not set")
	eq(t, shown.Files, &[]model.AssetFileInfo{}, "a forced compile makes no model file")
	job, err := client().Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: jobID, XAppUserId: ptr(assetAppUser)})
	noErr(t, err, "Show2dModelTrainingJob")
	eq(t, job.AssetId, ptr(assetID), "the job keeps its asset_id")
}

func TestAssetOfAVideoJobWhileItWaitsAndAfterItSucceeds(t *testing.T) {
	need(t, assets.model != "")
	settings := emulatorCall(t, http.MethodGet, "/settings", nil)
	var held map[string]any
	noErr(t, json.Unmarshal(settings, &held), "the emulator settings")
	held["stages"].(map[string]any)["video_render"].(map[string]any)["progress"] = map[string]any{"mode": "hold"}
	heldJSON, _ := json.Marshal(held)
	emulatorCall(t, http.MethodPut, "/settings", heldJSON)
	restored := false
	restore := func() {
		if !restored {
			restored = true
			emulatorCall(t, http.MethodPut, "/settings", settings)
		}
	}
	defer restore()

	jobID := mustCreateVideo(t, assetAppUser, libraryVideo(assets.model, "go library video"))
	waiting := showVideo(t, assetAppUser, jobID, false)
	answered(t, waiting.HttpStatusCode, waiting.XRequestId, waiting, "Show2DDigitalHumanVideo while WAITING")
	eq(t, waiting.State, model.GetShow2DDigitalHumanVideoResponseStateEnum().WAITING, "the render is held")
	output := val(t, waiting.OutputAssetConfig, "output_asset_config")
	isHex32(t, &output.AssetId, "output_asset_config.asset_id while WAITING")
	eq(t, output.AssetName, "go library video", "output_asset_config.asset_name while WAITING")
	eq(t, output.PreviewVideoUrl, (*string)(nil), "no preview_video_url yet")
	videoAsset := output.AssetId
	listed := listVideos(t, assetAppUser, func(r *model.ListDigitalHumanVideoRequest) { r.JobId = ptr(jobID) })
	sameAsWire(t, listed, "ListDigitalHumanVideo while WAITING")
	eq(t, *(*listed.Jobs)[0].OutputAssetConfig, output, "List's output_asset_config is Show's")

	creating := mustShowAsset(t, videoAsset)
	answered(t, creating.HttpStatusCode, creating.XRequestId, creating, "ShowAsset of a waiting video")
	eq(t, val(t, creating.AssetType, "asset_type").Value(), "VIDEO", "asset_type")
	eq(t, val(t, creating.AssetState, "asset_state").Value(), "CREATING", "asset_state while the job waits")
	eq(t, creating.AssetName, ptr("go library video"), "asset_name")
	eq(t, creating.Files, &[]model.AssetFileInfo{}, "no files yet")
	_, err := deleteAsset(ptr(assetAppUser), videoAsset, nil)
	expectServiceError(t, err, 400, "MSS.20060001", wire)
	emulatorCall(t, http.MethodPost, "/jobs/"+jobID+"/release", nil)
	restore()

	done := waitForVideo(t, assetAppUser, jobID, model.GetShow2DDigitalHumanVideoResponseStateEnum().SUCCEED)
	sameAsWire(t, done, "Show2DDigitalHumanVideo after SUCCEED")
	doneOutput := val(t, done.OutputAssetConfig, "output_asset_config")
	eq(t, doneOutput.AssetId, videoAsset, "the asset id does not change")
	eq(t, doneOutput.AssetName, "go library video", "asset_name")

	video := mustShowAsset(t, videoAsset)
	answered(t, video.HttpStatusCode, video.XRequestId, video, "ShowAsset of a finished video")
	eq(t, val(t, video.AssetState, "asset_state").Value(), "ACTIVED", "asset_state")
	eq(t, video.AppUserId, ptr(assetAppUser), "app_user_id is the video job's")
	eq(t, properties(t, video.SystemProperties), []propertyPair{{"CREATED_BY_PLATFORM", "Yes"}, {"DIGITAL_HUMAN_2D_VIDEO", "Yes"}}, "system_properties")
	meta := val(t, val(t, video.AssetExtraMeta, "asset_extra_meta").VideoMeta, "video_meta")
	eq(t, meta.VideoCodec, ptr("H264"), "video_meta.video_codec")
	eq(t, []int32{val(t, meta.Width, "width"), val(t, meta.Height, "height")}, []int32{1280, 720}, "video_meta width and height")
	eq(t, meta.FrameRate, ptr("25"), "video_meta.frame_rate")
	eq(t, val(t, meta.Mode, "mode"), model.GetVideoAssetMetaModeEnum().HORIZONTAL, "video_meta.mode")
	check(t, val(t, meta.Duration, "duration") >= 1, "video_meta.duration is whole seconds: %d", *meta.Duration)
	files := val(t, video.Files, "files")
	eq(t, len(files), 2, "two files")
	for index, expected := range [][2]string{{"MAIN", "mp4"}, {"COVER", "jpg"}} {
		eq(t, [2]string{val(t, files[index].AssetFileCategory, "asset_file_category"), val(t, files[index].FileType, "file_type")}, expected, "files[].asset_file_category and file_type")
		eq(t, val(t, files[index].State, "state").Value(), "CREATED", "files[].state")
	}
	status, mp4 := download(t, val(t, files[0].DownloadUrl, "download_url"))
	eq(t, status, 200, "the MP4 downloads")
	eq(t, int64(len(mp4)), val(t, files[0].FileSize, "file_size"), "the MP4 is file_size bytes")
	eq(t, md5Base64(mp4), val(t, files[0].FileMd5, "file_md5"), "file_md5 is the Base64 MD5")
	status, cover := download(t, val(t, files[1].DownloadUrl, "download_url"))
	eq(t, status, 200, "the cover downloads")
	check(t, len(cover) > 3 && cover[0] == 0xff && cover[1] == 0xd8, "the cover is a JPEG")
	assets.video = videoAsset
}

// -------------------------------------------------------------------------------------------------
// The tenant's own assets
// -------------------------------------------------------------------------------------------------

func TestAssetCreateShowUpdate(t *testing.T) {
	need(t, assets.model != "")
	user := ptr(assetAppUser)
	keys := model.GetSystemPropertyKeyEnum()
	services := model.GetSupportedServiceEnumEnum()
	created, err := client().CreateDigitalAsset(&model.CreateDigitalAssetRequest{XAppUserId: user, Body: &model.CreateDigitalAssetRequestBody{
		AssetName:           "go studio background",
		AssetDescription:    ptr("blue wall"),
		AssetType:           model.GetCreateDigitalAssetRequestBodyAssetTypeEnum().IMAGE,
		ReviewConfig:        &model.ReviewConfig{NoNeedReview: ptr(true)},
		Tags:                &[]string{"studio", "blue"},
		SystemProperties:    &[]model.SystemProperty{{Key: ptr(keys.BACKGROUND_IMG), Value: ptr("Yes")}},
		SharedConfig:        &model.AssetSharedConfig{SharedType: ptr(model.GetAssetSharedConfigSharedTypeEnum().PRIVATE)},
		IsNeedGenerateCover: ptr(false),
		AssetOrder:          ptr(int32(7)),
		SupportedService:    &[]model.SupportedServiceEnum{services.VIDEO_2_D},
	}})
	noErr(t, err, "CreateDigitalAsset")
	answered(t, created.HttpStatusCode, created.XRequestId, created, "CreateDigitalAsset")
	isHex32(t, created.AssetId, "asset_id")
	eq(t, created.ProduceId, (*string)(nil), "no produce_id")
	assetID := *created.AssetId
	assets.image = assetID

	shown := mustShowAsset(t, assetID)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowAsset")
	eq(t, []*string{shown.AssetName, shown.AssetDescription, shown.AppUserId}, []*string{ptr("go studio background"), ptr("blue wall"), ptr(assetAppUser)}, "name, description, app_user_id")
	eq(t, val(t, shown.AssetType, "asset_type").Value(), "IMAGE", "asset_type")
	eq(t, val(t, shown.AssetState, "asset_state").Value(), "CREATING", "asset_state")
	eq(t, shown.Tags, &[]string{"studio", "blue"}, "tags")
	eq(t, shown.AssetOrder, ptr(int32(7)), "asset_order")
	eq(t, shown.SupportedService, &[]model.SupportedServiceEnum{services.VIDEO_2_D}, "supported_service")
	eq(t, properties(t, shown.SystemProperties), []propertyPair{{"BACKGROUND_IMG", "Yes"}}, "system_properties")
	eq(t, shown.Files, &[]model.AssetFileInfo{}, "no files yet")

	actions := model.GetSystemPropertyActionEnum()
	updated, err := updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{
		AssetName:        ptr("go studio backdrop"),
		Tags:             &[]string{"studio"},
		AssetOrder:       ptr(int32(3)),
		SupportedService: &[]model.SupportedServiceEnum{services.VIDEO_2_D, services.LIVE_2_D},
		SystemProperties: &[]model.SystemProperty{
			{Action: ptr(actions.DELETE), Key: ptr(keys.BACKGROUND_IMG)},
			{Action: ptr(actions.ADD), Key: ptr(keys.MATERIAL_IMG), Value: ptr("Yes")},
		},
	})
	noErr(t, err, "UpdateDigitalAsset")
	answered(t, updated.HttpStatusCode, updated.XRequestId, updated, "UpdateDigitalAsset")
	eq(t, []*string{updated.AssetName, updated.AssetDescription}, []*string{ptr("go studio backdrop"), ptr("blue wall")}, "the new name, the description kept")
	eq(t, updated.Tags, &[]string{"studio"}, "tags")
	eq(t, updated.AssetOrder, ptr(int32(3)), "asset_order")
	eq(t, updated.SupportedService, &[]model.SupportedServiceEnum{services.VIDEO_2_D, services.LIVE_2_D}, "supported_service")
	eq(t, properties(t, updated.SystemProperties), []propertyPair{{"MATERIAL_IMG", "Yes"}}, "system_properties changed")
	again := mustShowAsset(t, assetID)
	updatedJSON, _ := json.Marshal(updated)
	againJSON, _ := json.Marshal(again)
	eq(t, strings.Replace(string(againJSON), *again.XRequestId, "", 1), strings.Replace(string(updatedJSON), *updated.XRequestId, "", 1), "Update answers the asset as Show does")

	states := model.GetUpdateDigitalAssetRequestBodyAssetStateEnum()
	_, err = updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{AssetState: ptr(states.ACTIVED)})
	expectServiceError(t, err, 400, "MSS.20060001", wire)
	_, err = updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{AssetState: ptr(states.WAITING_DELETE)})
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{AssetType: ptr(model.GetUpdateDigitalAssetRequestBodyAssetTypeEnum().VIDEO)})
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = createAsset(user, "go studio backdrop", "VIDEO")
	expectServiceError(t, err, 400, "MSS.10001005", wire)
	_, err = updateAsset(user, assets.model, &model.UpdateDigitalAssetRequestBody{AssetName: ptr("go studio backdrop")})
	expectServiceError(t, err, 400, "MSS.10001005", wire)
	_, err = createAsset(user, "a model", "HUMAN_MODEL_2D")
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	// The Go SDK sends asset_name and asset_type even when unset: "" is refused by the schema.
	_, err = client().CreateDigitalAsset(&model.CreateDigitalAssetRequest{XAppUserId: user, Body: &model.CreateDigitalAssetRequestBody{}})
	expectServiceError(t, err, 400, "MSS.10000003", wire)
	_, err = client().CreateDigitalAsset(&model.CreateDigitalAssetRequest{XAppUserId: user, Body: &model.CreateDigitalAssetRequestBody{
		AssetName: "platform", AssetType: assetTypeOf("IMAGE"),
		SystemProperties: &[]model.SystemProperty{{Key: ptr(keys.CREATED_BY_PLATFORM), Value: ptr("Yes")}}}})
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	eq(t, mustShowAsset(t, assetID).AssetName, ptr("go studio backdrop"), "the refused calls changed nothing")
}

func TestAssetModelDeactivatedAndActivated(t *testing.T) {
	need(t, assets.model != "")
	user := ptr(assetAppUser)
	states := model.GetUpdateDigitalAssetRequestBodyAssetStateEnum()
	unactive, err := updateAsset(user, assets.model, &model.UpdateDigitalAssetRequestBody{AssetState: ptr(states.UNACTIVED)})
	noErr(t, err, "UpdateDigitalAsset UNACTIVED")
	answered(t, unactive.HttpStatusCode, unactive.XRequestId, unactive, "UpdateDigitalAsset UNACTIVED")
	eq(t, val(t, unactive.AssetState, "asset_state").Value(), "UNACTIVED", "asset_state")
	_, err = createVideo(assetAppUser, libraryVideo(assets.model, "refused"))
	expectServiceError(t, err, 400, "MSS.20040011", wire)
	active, err := updateAsset(user, assets.model, &model.UpdateDigitalAssetRequestBody{AssetState: ptr(states.ACTIVED)})
	noErr(t, err, "UpdateDigitalAsset ACTIVED")
	eq(t, val(t, active.AssetState, "asset_state").Value(), "ACTIVED", "activated again")
}

func TestAssetFileCalls(t *testing.T) {
	need(t, assets.image != "")
	user := ptr(assetAppUser)
	data := []byte("\x89PNG pretend image bytes")
	created, err := createFile(user, imageFile(assets.image, data, "MAIN", "studio.png"))
	noErr(t, err, "CreateFile")
	answered(t, created.HttpStatusCode, created.XRequestId, created, "CreateFile")
	isHex32(t, created.FileId, "file_id")
	uploadURL := val(t, created.UploadUrl, "upload_url")
	check(t, strings.HasPrefix(uploadURL, "http://127.0.0.1:"), "upload_url: %q", uploadURL)
	fileID := *created.FileId
	_, err = createFile(user, imageFile(assets.image, data, "MAIN", "studio.png"))
	expectServiceError(t, err, 400, "MSS.10001008", wire)
	_, err = confirmFile(t, user, fileID, "CREATED")
	expectServiceError(t, err, 400, "MSS.00000003", wire)

	upload(t, uploadURL, data)
	pending := mustShowAsset(t, assets.image)
	pendingFile := val(t, pending.Files, "files")[0]
	eq(t, val(t, pending.AssetState, "asset_state").Value(), "CREATING", "uploaded, not yet confirmed")
	eq(t, val(t, pendingFile.State, "files[0].state").Value(), "CREATING", "the file is CREATING")
	eq(t, pendingFile.DownloadUrl, (*string)(nil), "no download_url before the confirmation")
	confirmed, err := confirmFile(t, user, fileID, "CREATED")
	noErr(t, err, "ConfirmFileUpload")
	answered(t, confirmed.HttpStatusCode, confirmed.XRequestId, confirmed, "ConfirmFileUpload")
	active := mustShowAsset(t, assets.image)
	answered(t, active.HttpStatusCode, active.XRequestId, active, "ShowAsset after ConfirmFileUpload")
	eq(t, val(t, active.AssetState, "asset_state").Value(), "ACTIVED", "a confirmed MAIN file activates the asset")
	confirmedMainFile(t, active, fileID, "studio.png", "png", data)
	_, err = confirmFile(t, user, fileID, "CREATED")
	expectServiceError(t, err, 400, "MSS.20060001", wire)

	cover, err := createFile(user, imageFile(assets.image, data, "COVER", "cover.png"))
	noErr(t, err, "CreateFile COVER")
	upload(t, *cover.UploadUrl, data)
	_, err = confirmFile(t, user, *cover.FileId, "CREATED")
	noErr(t, err, "ConfirmFileUpload COVER")
	assets.imageCover = data

	deleted, err := deleteFile(user, fileID)
	noErr(t, err, "DeleteFile")
	answered(t, deleted.HttpStatusCode, deleted.XRequestId, deleted, "DeleteFile")
	eq(t, val(t, mustShowAsset(t, assets.image).AssetState, "asset_state").Value(), "CREATING", "without its MAIN file the asset is CREATING again")
	_, err = deleteFile(user, fileID)
	expectServiceError(t, err, 404, "MSS.10001004", wire)
	second, err := createFile(user, imageFile(assets.image, data, "MAIN", "studio.png"))
	noErr(t, err, "CreateFile again")
	upload(t, *second.UploadUrl, []byte("other bytes"))
	_, err = confirmFile(t, user, *second.FileId, "CREATED")
	service := expectServiceError(t, err, 400, "MSS.00000003", wire)
	check(t, strings.Contains(service.ErrorMessage, "file_size"), "the message names the difference: %q", service.ErrorMessage)
	failed, err := confirmFile(t, user, *second.FileId, "FAILED")
	noErr(t, err, "ConfirmFileUpload FAILED")
	answered(t, failed.HttpStatusCode, failed.XRequestId, failed, "ConfirmFileUpload FAILED")
	eq(t, val(t, mustShowAsset(t, assets.image).AssetState, "asset_state").Value(), "FAILED", "a MAIN file that failed fails its asset")
	third, err := createFile(user, imageFile(assets.image, data, "MAIN", "studio.png"))
	noErr(t, err, "CreateFile a third time")
	upload(t, *third.UploadUrl, data)
	_, err = confirmFile(t, user, *third.FileId, "CREATED")
	noErr(t, err, "ConfirmFileUpload")
	eq(t, val(t, mustShowAsset(t, assets.image).AssetState, "asset_state").Value(), "ACTIVED", "a new MAIN file: ACTIVED again")

	_, err = createFile(user, imageFile(assets.model, data, "MAIN", "x.png"))
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = createFile(user, imageFile(unknownID, data, "MAIN", "x.png"))
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	// The Go SDK sends every FilesCreateReq field: unset, they are "" and 0, which the schema refuses.
	_, err = createFile(user, &model.FilesCreateReq{})
	expectServiceError(t, err, 400, "MSS.10000003", wire)
	_, err = confirmFile(t, user, unknownID, "CREATED")
	expectServiceError(t, err, 404, "MSS.10001004", wire)
	_, err = confirmFile(t, user, *third.FileId, "")
	expectServiceError(t, err, 400, "MSS.10000003", wire)
	_, err = deleteFile(user, unknownID)
	expectServiceError(t, err, 404, "MSS.10001004", wire)
}

func TestAssetLargeFileInTwoPartsAndMediaMeta(t *testing.T) {
	user := ptr(assetAppUser)
	asset, err := createAsset(user, "go large tone", "AUDIO")
	noErr(t, err, "CreateDigitalAsset AUDIO")
	assetID := *asset.AssetId
	data := toneWAV()
	parts := [][]byte{data[:len(data)/2], data[len(data)/2:]}
	large := func(change func(*model.LargeFilesCreateReq)) *model.LargeFilesCreateReq {
		body := &model.LargeFilesCreateReq{FileName: "tone.wav", FileSize: ptr(int64(len(data))), FileType: "wav", AssetId: assetID,
			AssetFileCategory: "MAIN", FileMultipartCount: ptr(int32(2))}
		if change != nil {
			change(body)
		}
		return body
	}
	for _, refused := range []struct {
		user   *string
		body   *model.LargeFilesCreateReq
		status int
		code   string
	}{
		{user, large(func(body *model.LargeFilesCreateReq) { body.AssetId = unknownID }), 404, "MSS.10001001"},
		{ptr(assetBob), large(nil), 404, "MSS.10001001"},
		{user, large(func(body *model.LargeFilesCreateReq) { body.FileMultipartCount = ptr(int32(0)) }), 400, "MSS.10000003"},
		{user, large(func(body *model.LargeFilesCreateReq) { body.AssetFileCategory = "COVER" }), 400, "MSS.00000003"},
		{user, large(func(body *model.LargeFilesCreateReq) { body.FileType = "png" }), 400, "MSS.00000003"},
		// Unset, the non-pointer fields are sent as "", which the schema refuses.
		{user, &model.LargeFilesCreateReq{}, 400, "MSS.10000003"},
	} {
		_, err = createLargeFile(refused.user, refused.body)
		expectServiceError(t, err, refused.status, refused.code, wire)
	}

	created, err := createLargeFile(user, large(nil))
	noErr(t, err, "CreateLargeFile")
	answered(t, created.HttpStatusCode, created.XRequestId, created, "CreateLargeFile")
	isHex32(t, created.FileId, "file_id")
	fileID := *created.FileId
	urls := val(t, created.UploadUrls, "upload_urls")
	eq(t, len(urls), 2, "one upload URL per part")
	for _, url := range urls {
		check(t, strings.HasPrefix(url, "http://127.0.0.1:"), "upload_urls: %q", urls)
	}
	upload(t, urls[0], parts[0])
	pending := mustShowAsset(t, assetID)
	answered(t, pending.HttpStatusCode, pending.XRequestId, pending, "ShowAsset of a large file in parts")
	pendingFile := val(t, pending.Files, "files")[0]
	eq(t, val(t, pendingFile.State, "files[0].state").Value(), "CREATING", "the file is CREATING")
	eq(t, []any{pendingFile.FileSize, pendingFile.FileMd5}, []any{ptr(int64(len(data))), (*string)(nil)}, "file_size given, no file_md5 before the confirm")
	_, err = confirmFile(t, user, fileID, "CREATED")
	service := expectServiceError(t, err, 400, "MSS.00000003", wire)
	check(t, strings.Contains(service.ErrorMessage, "parts 2 of 2"), "the message names the missing part: %q", service.ErrorMessage)
	eq(t, val(t, mustShowAsset(t, assetID).AssetState, "asset_state").Value(), "CREATING", "the refused confirm changed nothing")

	upload(t, urls[1], parts[1])
	confirmed, err := confirmFile(t, user, fileID, "CREATED")
	noErr(t, err, "ConfirmFileUpload of a large file")
	answered(t, confirmed.HttpStatusCode, confirmed.XRequestId, confirmed, "ConfirmFileUpload of a large file")
	shown := mustShowAsset(t, assetID)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowAsset with a joined large file and its audio_meta")
	eq(t, val(t, shown.AssetState, "asset_state").Value(), "ACTIVED", "the joined MAIN file activates the asset")
	confirmedMainFile(t, shown, fileID, "tone.wav", "wav", data)
	extra := val(t, shown.AssetExtraMeta, "asset_extra_meta")
	eq(t, extra.AudioMeta, &model.AudioAssetMeta{Duration: ptr(int32(1)), AudioCodec: ptr("PCM_S16LE"), AudioBitRate: ptr(int32(128)),
		AudioChannels: ptr(int32(1)), Sample: ptr(int32(8000))}, "audio_meta read from the WAV")
	eq(t, extra.ImageMeta, (*model.ImageAssetMeta)(nil), "an AUDIO asset has no image_meta")

	_, err = createLargeFile(user, large(nil))
	expectServiceError(t, err, 400, "MSS.10001008", wire)

	picture := tinyPNG(t)
	imageAsset, err := createAsset(user, "go tiny picture", "IMAGE")
	noErr(t, err, "CreateDigitalAsset IMAGE")
	file, err := createFile(user, imageFile(*imageAsset.AssetId, picture, "MAIN", "tiny.png"))
	noErr(t, err, "CreateFile tiny.png")
	upload(t, *file.UploadUrl, picture)
	_, err = confirmFile(t, user, *file.FileId, "CREATED")
	noErr(t, err, "ConfirmFileUpload tiny.png")
	withImage := mustShowAsset(t, *imageAsset.AssetId)
	answered(t, withImage.HttpStatusCode, withImage.XRequestId, withImage, "ShowAsset with its image_meta")
	mode := model.GetImageAssetMetaModeEnum().VERTICAL
	eq(t, val(t, withImage.AssetExtraMeta, "asset_extra_meta").ImageMeta, &model.ImageAssetMeta{Codec: ptr("PNG"), Width: ptr(int32(2)),
		Height: ptr(int32(3)), Size: ptr(int64(len(picture))), Mode: &mode}, "image_meta read from the PNG")
}

func TestAssetListFiltersPagingAndSorting(t *testing.T) {
	need(t, assets.model != "" && assets.video != "")
	user := ptr(assetAppUser)
	prefix := "golist-" + strconv.FormatInt(time.Now().UnixNano()%1000000, 36)
	ids := []string{}
	keys := model.GetSystemPropertyKeyEnum()
	for index, assetType := range []string{"AUDIO", "MUSIC", "AUDIO", "PPT"} {
		body := &model.CreateDigitalAssetRequestBody{
			AssetName: prefix + "-" + strconv.Itoa(index), AssetType: assetTypeOf(assetType),
			Tags: &[]string{"odd"}, AssetOrder: ptr(int32(10 - index%2)),
		}
		if index%2 == 0 {
			body.Tags = &[]string{"even", "n" + strconv.Itoa(index)}
		}
		if index == 0 {
			body.SystemProperties = &[]model.SystemProperty{{Key: ptr(keys.BACKGROUND_SCENE), Value: ptr("Horizontal")}}
		}
		created, err := client().CreateDigitalAsset(&model.CreateDigitalAssetRequest{XAppUserId: user, Body: body})
		noErr(t, err, "CreateDigitalAsset "+body.AssetName)
		ids = append(ids, *created.AssetId)
		time.Sleep(1050 * time.Millisecond) // one creation second each: the time filters and the default order tell them apart
	}
	mine := func(filters func(*model.ListAssetsRequest)) *model.ListAssetsResponse {
		return listAssets(t, user, func(r *model.ListAssetsRequest) {
			r.Name, r.Limit = ptr(prefix), ptr(int32(100))
			if filters != nil {
				filters(r)
			}
		})
	}
	everything := mine(nil)
	answered(t, everything.HttpStatusCode, everything.XRequestId, everything, "ListAssets")
	eq(t, everything.Count, ptr(int32(4)), "count")
	eq(t, listedIDs(everything), ids, "ascending by create_time by default")
	first := (*everything.Assets)[0]
	shown := mustShowAsset(t, ids[0])
	shown.XRequestId, shown.HttpStatusCode = nil, 0
	firstJSON, _ := json.Marshal(first)
	shownJSON, _ := json.Marshal(shown)
	eq(t, string(firstJSON), string(shownJSON), "a listed asset is the asset Show answers")

	reversed := []string{ids[3], ids[2], ids[1], ids[0]}
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.SortDir = ptr("desc") })), reversed, "sort_dir=desc")
	page := mine(func(r *model.ListAssetsRequest) { r.Limit, r.Offset = ptr(int32(2)), ptr(int32(1)) })
	eq(t, page.Count, ptr(int32(4)), "count is every match, not the page size")
	eq(t, listedIDs(page), ids[1:3], "limit=2 offset=1")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.Limit, r.Offset = ptr(int32(2)), ptr(int32(4)) })), []string{}, "past the last page")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.AssetType = ptr("MUSIC,PPT") })), []string{ids[1], ids[3]}, "asset_type, comma-separated")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.Tag = ptr("n0,n2") })), []string{ids[0], ids[2]}, "tags: any of them")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) {
		r.Tag, r.TagCombinationType = ptr("even,n2"), ptr(model.GetListAssetsRequestTagCombinationTypeEnum().INTERSECTION)
	})), []string{ids[2]}, "tag_combination_type=INTERSECTION")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.Tag = ptr("ev") }).Count, ptr(int32(2)), "tags match as substrings")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.Tag, r.AccurateQueryField = ptr("ev"), &[]string{"tag"} }).Count, ptr(int32(0)), "accurate_query_field=tag")
	exact := listAssets(t, user, func(r *model.ListAssetsRequest) { r.Name, r.AccurateQueryField = ptr(prefix+"-3"), &[]string{"name"} })
	eq(t, listedIDs(exact), []string{ids[3]}, "accurate name")
	eq(t, listAssets(t, user, func(r *model.ListAssetsRequest) { r.Name, r.AccurateQueryField = ptr(prefix+"-"), &[]string{"name"} }).Count, ptr(int32(0)), "accurate name, not a prefix")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.AssetId = &[]string{ids[2], ids[0]} })), []string{ids[0], ids[2]}, "asset_id (the Go SDK repeats the key)")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.SortKey = ptr("asset_order") })), []string{ids[3], ids[1], ids[2], ids[0]}, "asset_order ascending, equal ones newest first")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.SortKey, r.SortDir = ptr("update_time"), ptr("desc") })), reversed, "sort_key=update_time")
	createdAt := mustShowAsset(t, ids[2]).CreateTime
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.StartTime, r.EndTime = createdAt, createdAt })), []string{ids[2]}, "start_time and end_time are inclusive")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.AssetState = ptr("CREATING") }).Count, ptr(int32(4)), "asset_state")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.AssetState = ptr("ACTIVED,DELETING") }).Count, ptr(int32(0)), "asset_state, comma-separated")
	sources := model.GetListAssetsRequestAssetSourceEnum()
	eq(t, mine(func(r *model.ListAssetsRequest) { r.AssetSource = ptr(sources.SYSTEM) }).Count, ptr(int32(0)), "avatarforge ships no system assets")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.AssetSource = ptr(sources.ALL) }).Count, ptr(int32(4)), "asset_source=ALL")
	eq(t, listedIDs(mine(func(r *model.ListAssetsRequest) { r.SystemProperty = ptr("BACKGROUND_SCENE:Horizontal") })), []string{ids[0]}, "system_property")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.IsMovable = ptr(true) }).Count, ptr(int32(0)), "is_movable=true: no avatarforge model walks")
	eq(t, mine(func(r *model.ListAssetsRequest) { r.IsMovable = ptr(false) }).Count, ptr(int32(4)), "is_movable=false filters nothing")
	models := listAssets(t, user, func(r *model.ListAssetsRequest) {
		r.AssetType, r.Limit = ptr("HUMAN_MODEL_2D"), ptr(int32(100))
		r.SupportedService = ptr(model.GetListAssetsRequestSupportedServiceEnum().VIDEO_2_D)
	})
	sameAsWire(t, models, "ListAssets of models")
	check(t, strings.Contains(strings.Join(listedIDs(models), ","), assets.model), "the trained model is listed as a HUMAN_MODEL_2D for VIDEO_2D")
	made := listAssets(t, user, func(r *model.ListAssetsRequest) {
		r.SystemProperty, r.Limit = ptr("CREATED_BY_PLATFORM:Yes"), ptr(int32(100))
	})
	eq(t, listedIDs(made), []string{assets.video}, "the videos the product made")
	defaults := listAssets(t, user, nil)
	eq(t, int32(len(*defaults.Assets)), min(10, *defaults.Count), "default page size 10")

	for _, filters := range []func(*model.ListAssetsRequest){
		func(r *model.ListAssetsRequest) { r.Limit = ptr(int32(0)) },
		func(r *model.ListAssetsRequest) { r.Limit = ptr(int32(101)) },
		func(r *model.ListAssetsRequest) { r.Offset = ptr(int32(-1)) },
		func(r *model.ListAssetsRequest) { r.SortKey = ptr("name") },
		func(r *model.ListAssetsRequest) { r.SortDir = ptr("up") },
		func(r *model.ListAssetsRequest) { r.AssetState = ptr("SLEEPING") },
		func(r *model.ListAssetsRequest) { r.AssetType = ptr("IMAGE,WEIRD") },
		func(r *model.ListAssetsRequest) { r.StartTime = ptr("yesterday") },
		func(r *model.ListAssetsRequest) {
			r.TagCombinationType = ptr(enumOf[model.ListAssetsRequestTagCombinationType](t, "BOTH"))
		},
		func(r *model.ListAssetsRequest) {
			r.AssetSource = ptr(enumOf[model.ListAssetsRequestAssetSource](t, "MINE"))
		},
	} {
		request := &model.ListAssetsRequest{XAppUserId: user}
		filters(request)
		_, err := client().ListAssets(request)
		expectServiceError(t, err, 400, "MSS.00000003", wire)
	}
	assets.listed = ids
}

func TestAssetSummary(t *testing.T) {
	need(t, assets.image != "" && assets.video != "" && assets.model != "")
	listed, err := summaries(ptr(assetAppUser), []string{assets.image, assets.video, unknownID, assets.model})
	noErr(t, err, "ListAssetSummary")
	answered(t, listed.HttpStatusCode, listed.XRequestId, listed, "ListAssetSummary")
	items := val(t, listed.AssetList, "asset_list")
	got := [][3]string{}
	for _, item := range items {
		got = append(got, [3]string{val(t, item.AssetId, "asset_id"), val(t, item.AssetType, "asset_type").Value(), val(t, item.AssetState, "asset_state").Value()})
	}
	eq(t, got, [][3]string{{assets.image, "IMAGE", "ACTIVED"}, {assets.video, "VIDEO", "ACTIVED"}, {assets.model, "HUMAN_MODEL_2D", "ACTIVED"}}, "in the order asked, the unknown id left out")
	eq(t, items[0].AssetName, ptr("go studio backdrop"), "asset_name")
	status, cover := download(t, val(t, items[0].CoverUrl, "cover_url"))
	eq(t, status, 200, "cover_url downloads")
	eq(t, cover, assets.imageCover, "cover_url is the COVER file")
	eq(t, items[0].ThumbnailUrl, items[0].CoverUrl, "thumbnail_url")
	check(t, items[1].CoverUrl != nil, "a video has a cover_url")
	eq(t, items[2].CoverUrl, (*string)(nil), "a model without a cover has no cover_url")
	_, err = summaries(ptr(assetAppUser), []string{})
	expectServiceError(t, err, 400, "MSS.10000003", wire)
	// The Go SDK sends "asset_ids": null when the list is unset.
	_, err = summaries(ptr(assetAppUser), nil)
	expectServiceError(t, err, 400, "MSS.10000003", wire)
}

func TestAssetRecycleBinRestoreAndForceDelete(t *testing.T) {
	need(t, len(assets.listed) > 0)
	user := ptr(assetAppUser)
	assetID := assets.listed[0]
	deleted, err := deleteAsset(user, assetID, nil)
	noErr(t, err, "DeleteAsset")
	answered(t, deleted.HttpStatusCode, deleted.XRequestId, deleted, "DeleteAsset")
	eq(t, val(t, mustShowAsset(t, assetID).AssetState, "asset_state").Value(), "DELETING", "in the recycle bin")
	bin := listAssets(t, user, func(r *model.ListAssetsRequest) { r.AssetState, r.AssetId = ptr("DELETING"), &[]string{assetID} })
	eq(t, listedIDs(bin), []string{assetID}, "the bin is asset_state=DELETING")
	_, err = deleteAsset(user, assetID, nil)
	noErr(t, err, "DeleteAsset of a binned asset")
	_, err = updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{AssetName: ptr("renamed")})
	expectServiceError(t, err, 400, "MSS.20060001", wire)
	restored, err := restoreAsset(user, assetID)
	noErr(t, err, "RestoreAsset")
	answered(t, restored.HttpStatusCode, restored.XRequestId, restored, "RestoreAsset")
	eq(t, val(t, mustShowAsset(t, assetID).AssetState, "asset_state").Value(), "CREATING", "back to the state it was deleted in")
	_, err = restoreAsset(user, assetID)
	expectServiceError(t, err, 400, "MSS.20060001", wire)
	_, err = deleteAsset(user, assetID, ptr("soft"))
	expectServiceError(t, err, 400, "MSS.00000003", wire)

	forced, err := deleteAsset(user, assetID, ptr("force"))
	noErr(t, err, "DeleteAsset mode=force")
	answered(t, forced.HttpStatusCode, forced.XRequestId, forced, "DeleteAsset mode=force")
	_, err = showAsset(user, assetID)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = restoreAsset(user, assetID)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = deleteAsset(user, assetID, nil)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = updateAsset(user, assetID, &model.UpdateDigitalAssetRequestBody{Tags: &[]string{"x"}})
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	eq(t, listAssets(t, user, func(r *model.ListAssetsRequest) { r.AssetState, r.AssetId = ptr("DELETED"), &[]string{assetID} }).Count, ptr(int32(0)), "gone for List, even asset_state=DELETED")
	gone, err := summaries(user, []string{assetID})
	noErr(t, err, "ListAssetSummary")
	eq(t, gone.AssetList, &[]model.DigitalAssetSummary{}, "gone for ListAssetSummary")
	_, err = showAsset(user, unknownID)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = showAsset(user, strings.Repeat("x", 65))
	expectServiceError(t, err, 400, "MSS.00000003", wire)
}

func TestAssetProjectsAndAppUsersSeeOnlyTheirOwn(t *testing.T) {
	need(t, assets.model != "")
	alice, bob := ptr(assetAlice), ptr(assetBob)
	created, err := createAsset(alice, "alice image", "IMAGE")
	noErr(t, err, "CreateDigitalAsset of alice")
	assetID := *created.AssetId
	aliceSees, err := showAsset(alice, assetID)
	noErr(t, err, "ShowAsset of alice")
	eq(t, aliceSees.AppUserId, alice, "alice sees her asset")
	project, err := showAsset(nil, assetID)
	noErr(t, err, "ShowAsset without X-App-UserId")
	eq(t, project.AssetId, ptr(assetID), "without X-App-UserId the whole project is seen")

	_, err = showAsset(bob, assetID)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = updateAsset(bob, assetID, &model.UpdateDigitalAssetRequestBody{Tags: &[]string{"x"}})
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = deleteAsset(bob, assetID, nil)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = restoreAsset(bob, assetID)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = showAsset(bob, assets.model)
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	eq(t, listAssets(t, bob, func(r *model.ListAssetsRequest) { r.Limit = ptr(int32(100)) }).Count, ptr(int32(0)), "bob lists nothing")
	eq(t, listedIDs(listAssets(t, alice, func(r *model.ListAssetsRequest) { r.Limit = ptr(int32(100)) })), []string{assetID}, "alice lists her asset")
	eq(t, listedIDs(listAssets(t, nil, func(r *model.ListAssetsRequest) { r.AppUserId, r.Limit = alice, ptr(int32(100)) })), []string{assetID}, "app_user_id filter")
	bobSummaries, err := summaries(bob, []string{assetID})
	noErr(t, err, "ListAssetSummary of bob")
	eq(t, bobSummaries.AssetList, &[]model.DigitalAssetSummary{}, "bob gets no summary of it")
	data := []byte("alice's picture")
	file, err := createFile(alice, imageFile(assetID, data, "MAIN", "alice.png"))
	noErr(t, err, "CreateFile of alice")
	_, err = createFile(bob, imageFile(assetID, data, "MAIN", "alice.png"))
	expectServiceError(t, err, 404, "MSS.10001001", wire)
	_, err = confirmFile(t, bob, *file.FileId, "CREATED")
	expectServiceError(t, err, 404, "MSS.10001004", wire)
	_, err = deleteFile(bob, *file.FileId)
	expectServiceError(t, err, 404, "MSS.10001004", wire)
	_, err = createAsset(bob, "alice image", "IMAGE")
	noErr(t, err, "the same name is free for another app user")

	otherWire := &wireLog{}
	srv := env()
	srv.projectID, srv.ak = os.Getenv("AF_OTHER_PROJECT_ID"), os.Getenv("AF_OTHER_ACCESS_KEY")
	other := makeClient(srv, os.Getenv("AF_OTHER_SECRET_KEY"), otherWire)
	_, err = other.ShowAsset(&model.ShowAssetRequest{AssetId: assetID})
	expectServiceError(t, err, 404, "MSS.10001001", otherWire)
	_, err = other.DeleteAsset(&model.DeleteAssetRequest{AssetId: assets.model})
	expectServiceError(t, err, 404, "MSS.10001001", otherWire)
	_, err = other.RestoreAsset(&model.RestoreAssetRequest{AssetId: assetID})
	expectServiceError(t, err, 404, "MSS.10001001", otherWire)
	_, err = other.ConfirmFileUpload(&model.ConfirmFileUploadRequest{FileId: *file.FileId,
		Body: &model.ConfirmFileUploadRequestBody{State: model.GetConfirmFileUploadRequestBodyStateEnum().CREATED}})
	expectServiceError(t, err, 404, "MSS.10001004", otherWire)
	otherList, err := other.ListAssets(&model.ListAssetsRequest{Limit: ptr(int32(100))})
	noErr(t, err, "ListAssets of another project")
	eq(t, otherList.Count, ptr(int32(0)), "another project lists nothing")
	otherSummaries, err := other.ListAssetSummary(&model.ListAssetSummaryRequest{Body: &model.ListAssetSummarysReq{AssetIds: []string{assetID, assets.model}}})
	noErr(t, err, "ListAssetSummary of another project")
	eq(t, otherSummaries.AssetList, &[]model.DigitalAssetSummary{}, "another project gets no summaries")
	eq(t, val(t, mustShowAssetAs(t, alice, assetID).AssetState, "asset_state").Value(), "CREATING", "the refused calls changed nothing")
}

func mustShowAssetAs(t *testing.T, user *string, assetID string) *model.ShowAssetResponse {
	t.Helper()
	shown, err := showAsset(user, assetID)
	noErr(t, err, "ShowAsset "+assetID)
	return shown
}
