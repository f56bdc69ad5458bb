// Live sessions (intelligent interaction) through the official Go SDK (v0.1.188), unchanged: every
// operation of docs/live-sessions.md — CreateSmartChatRoom, ShowSmartChatRoom, ListSmartChatRooms,
// UpdateSmartChatRoom, DeleteSmartChatRoom, StartSmartChatJob, ShowSmartChatJob, ListSmartChatJob,
// StopSmartChatJob, CreateDialogUrl and CreateOnceCode.
//
// The room's model comes from the emulated pipeline (conformance/server.sh), as in assets_test.go: a
// training job released with the admin token reaches JOB_SUCCESS with its HUMAN_MODEL_2D asset, whose
// supported_service is the job's (by default VIDEO_2D and LIVE_2D), so a room can show it. The tests
// run in file order and build on each other.
//
// Every answer is compared whole with the JSON the server sent (sameAsWire): the SDK's struct,
// marshalled back, drops no key, adds none (Go's non-pointer fields would: VideoConfig's bitrate,
// width and height, VoiceConfig's voice_asset_id) and changes no value. The Go SDK always sends its
// non-pointer request fields (VideoConfig's bitrate, width and height; CreateDialogUrlReq's room_id
// and robot_id; the robot_id query): 0 and "" are what a Go caller sends when it sets nothing.
package conformance

import (
	"encoding/json"
	"math"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	metastudio "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1/model"
)

const (
	liveAppUser = "live-go"
	liveBob     = "live-go-bob"
	liveRobot   = "robot-go"
)

var onceCodePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`)

// What the live-session scenario learns as it goes.
var live struct {
	model, room, bareRoom, job string
}

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------

// asJSON: an SDK value as the JSON it marshals to (for comparing a part of an answer with a literal).
func asJSON(t *testing.T, value any) any {
	t.Helper()
	encoded, err := json.Marshal(value)
	noErr(t, err, "marshal")
	var decoded any
	noErr(t, json.Unmarshal(encoded, &decoded), "unmarshal")
	return decoded
}

func liveRoomBody(t *testing.T, name string, concurrency int32) *model.CreateSmartChatRoomReq {
	t.Helper()
	return &model.CreateSmartChatRoomReq{RoomName: name, ModelAssetId: ptr(live.model), Concurrency: ptr(concurrency)}
}

func createRoom(client *metastudio.MetaStudioClient, user *string, body *model.CreateSmartChatRoomReq) (*model.CreateSmartChatRoomResponse, error) {
	return client.CreateSmartChatRoom(&model.CreateSmartChatRoomRequest{XAppUserId: user, Body: body})
}

func showRoom(client *metastudio.MetaStudioClient, user *string, roomID string) (*model.ShowSmartChatRoomResponse, error) {
	return client.ShowSmartChatRoom(&model.ShowSmartChatRoomRequest{XAppUserId: user, RoomId: roomID})
}

func mustShowRoom(t *testing.T, roomID string) *model.ShowSmartChatRoomResponse {
	t.Helper()
	shown, err := showRoom(client(), ptr(liveAppUser), roomID)
	noErr(t, err, "ShowSmartChatRoom "+roomID)
	return shown
}

func listRooms(t *testing.T, client *metastudio.MetaStudioClient, user *string, filters func(*model.ListSmartChatRoomsRequest)) *model.ListSmartChatRoomsResponse {
	t.Helper()
	request := &model.ListSmartChatRoomsRequest{XAppUserId: user}
	if filters != nil {
		filters(request)
	}
	listed, err := client.ListSmartChatRooms(request)
	noErr(t, err, "ListSmartChatRooms")
	return listed
}

func roomIDs(listed *model.ListSmartChatRoomsResponse) []string {
	ids := []string{}
	for _, room := range *listed.SmartChatRooms {
		ids = append(ids, *room.RoomId)
	}
	return ids
}

func updateRoom(client *metastudio.MetaStudioClient, user *string, roomID string, body *model.CreateSmartChatRoomReq) (*model.UpdateSmartChatRoomResponse, error) {
	return client.UpdateSmartChatRoom(&model.UpdateSmartChatRoomRequest{XAppUserId: user, RoomId: roomID, Body: body})
}

func deleteRoom(client *metastudio.MetaStudioClient, user *string, roomID string) (*model.DeleteSmartChatRoomResponse, error) {
	return client.DeleteSmartChatRoom(&model.DeleteSmartChatRoomRequest{XAppUserId: user, RoomId: roomID})
}

func startChatJob(client *metastudio.MetaStudioClient, user *string, roomID, robotID string, extendParam *string) (*model.StartSmartChatJobResponse, error) {
	request := &model.StartSmartChatJobRequest{XAppUserId: user, RoomId: roomID, RobotId: robotID}
	if extendParam != nil {
		request.Body = &model.SmartChatJobsReq{ExtendParam: extendParam}
	}
	return client.StartSmartChatJob(request)
}

func showChatJob(client *metastudio.MetaStudioClient, user *string, roomID, jobID string) (*model.ShowSmartChatJobResponse, error) {
	return client.ShowSmartChatJob(&model.ShowSmartChatJobRequest{XAppUserId: user, RoomId: roomID, JobId: jobID})
}

func mustShowChatJob(t *testing.T, roomID, jobID string) *model.ShowSmartChatJobResponse {
	t.Helper()
	shown, err := showChatJob(client(), ptr(liveAppUser), roomID, jobID)
	noErr(t, err, "ShowSmartChatJob "+jobID)
	return shown
}

func listChatJobs(client *metastudio.MetaStudioClient, user *string, roomID string, filters func(*model.ListSmartChatJobRequest)) (*model.ListSmartChatJobResponse, error) {
	request := &model.ListSmartChatJobRequest{XAppUserId: user, RoomId: roomID}
	if filters != nil {
		filters(request)
	}
	return client.ListSmartChatJob(request)
}

func mustListChatJobs(t *testing.T, roomID string, filters func(*model.ListSmartChatJobRequest)) *model.ListSmartChatJobResponse {
	t.Helper()
	listed, err := listChatJobs(client(), ptr(liveAppUser), roomID, filters)
	noErr(t, err, "ListSmartChatJob")
	return listed
}

func chatJobIDs(listed *model.ListSmartChatJobResponse) []string {
	ids := []string{}
	for _, job := range *listed.SmartChatJobs {
		ids = append(ids, *job.JobId)
	}
	return ids
}

func stopChatJob(client *metastudio.MetaStudioClient, user *string, roomID, jobID string) (*model.StopSmartChatJobResponse, error) {
	return client.StopSmartChatJob(&model.StopSmartChatJobRequest{XAppUserId: user, RoomId: roomID, JobId: jobID})
}

func dialogURL(client *metastudio.MetaStudioClient, user *string, roomID, robotID string) (*model.CreateDialogUrlResponse, error) {
	return client.CreateDialogUrl(&model.CreateDialogUrlRequest{XAppUserId: user, Body: &model.CreateDialogUrlReq{RoomId: roomID, RobotId: robotID}})
}

func setSupportedService(t *testing.T, assetID string, services ...string) {
	t.Helper()
	list := []model.SupportedServiceEnum{}
	for _, service := range services {
		list = append(list, enumOf[model.SupportedServiceEnum](t, service))
	}
	updated, err := updateAsset(ptr(liveAppUser), assetID, &model.UpdateDigitalAssetRequestBody{SupportedService: &list})
	noErr(t, err, "UpdateDigitalAsset supported_service")
	eq(t, updated.SupportedService, &list, "supported_service after UpdateDigitalAsset")
}

func otherProjectClient() (*metastudio.MetaStudioClient, *wireLog) {
	otherWire := &wireLog{}
	srv := env()
	srv.projectID, srv.ak = os.Getenv("AF_OTHER_PROJECT_ID"), os.Getenv("AF_OTHER_ACCESS_KEY")
	return makeClient(srv, os.Getenv("AF_OTHER_SECRET_KEY"), otherWire), otherWire
}

// -------------------------------------------------------------------------------------------------
// Rooms
// -------------------------------------------------------------------------------------------------

func TestLiveATrainedModelSupportsLiveSessions(t *testing.T) {
	_, assetID := trainedModel(t, liveAppUser, "go live presenter")
	live.model = assetID
	shown := mustShowAssetAs(t, ptr(liveAppUser), assetID)
	services := model.GetSupportedServiceEnumEnum()
	eq(t, shown.SupportedService, &[]model.SupportedServiceEnum{services.VIDEO_2_D, services.LIVE_2_D}, "a trained model's supported_service is its job's default")
}

func TestLiveCreateAndShowARoomWithEveryField(t *testing.T) {
	need(t, live.model != "")
	body := liveRoomBody(t, "go lobby", 1)
	body.RoomDescription = ptr("the front desk")
	body.VideoConfig = &model.VideoConfig{Bitrate: 3000, Width: 1080, Height: 1920,
		Codec: ptr(model.GetVideoConfigCodecEnum().VP9), FrameRate: ptr(model.GetVideoConfigFrameRateEnum().E_25)}
	body.VoiceConfig = &model.VoiceConfig{VoiceAssetId: "", Speed: ptr(int32(110)), Pitch: ptr(int32(0)), Volume: ptr(int32(0))}
	body.VoiceConfigList = &[]model.ChatVoiceConfig{{VoiceAssetId: ptr("af_heart"), Speed: ptr(int32(90)), Provider: ptr("HUAWEI_EI"),
		Language: ptr(enumOf[model.ChatVoiceConfigLanguage](t, "EN"))}}
	body.RobotId = ptr(liveRobot)
	body.BillingMode = ptr(model.GetCreateSmartChatRoomReqBillingModeEnum().CONCURRENCY)
	body.ReuseResource = ptr(true)
	body.ClientNums = ptr(int32(3))
	body.DefaultLanguage = ptr(model.GetCreateSmartChatRoomReqDefaultLanguageEnum().CN)
	body.BackgroundConfig = &model.BackgroundConfigInfo{BackgroundType: model.GetBackgroundConfigInfoBackgroundTypeEnum().COLOR,
		BackgroundColorConfig: ptr("#20304A")}
	body.LayerConfig = &[]model.LayerConfig{{LayerType: model.GetLayerConfigLayerTypeEnum().HUMAN,
		Position: &model.LayerPositionConfig{Dx: 0, Dy: 0, LayerIndex: 1}, Size: &model.LayerSizeConfig{Width: ptr(int32(1080)), Height: ptr(int32(1920))}}}
	body.ReviewConfig = &model.ReviewConfig{NoNeedReview: ptr(true)}
	body.ChatSubtitleConfig = &model.ChatSubtitleConfig{Dx: ptr(int32(90)), Dy: ptr(int32(1500)), Width: ptr(int32(900)), Height: ptr(int32(200))}
	body.ChatVideoType = ptr(model.GetCreateSmartChatRoomReqChatVideoTypeEnum().MOBILE)
	body.ExitMuteThreshold = ptr(int32(10))
	body.EnableSemanticAction = ptr(false)
	body.ChatResourceConfig = &[]model.ChatResourceConfig{{ResourceId: ptr("res-1"), CountResource: ptr(int32(2))}}
	created, err := createRoom(client(), ptr(liveAppUser), body)
	noErr(t, err, "CreateSmartChatRoom")
	answered(t, created.HttpStatusCode, created.XRequestId, created, "CreateSmartChatRoom")
	isHex32(t, created.RoomId, "room_id")
	roomID := *created.RoomId

	shown := mustShowRoom(t, roomID)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowSmartChatRoom")
	eq(t, shown.RoomId, ptr(roomID), "room_id")
	eq(t, []any{shown.RoomName, *shown.RoomDescription, *shown.ModelAssetId, *shown.RobotId}, []any{"go lobby", "the front desk", live.model, liveRobot}, "name, description, model, robot")
	eq(t, asJSON(t, shown.VideoConfig), any(map[string]any{"bitrate": 3000.0, "width": 1080.0, "height": 1920.0, "codec": "VP9", "frame_rate": "25"}), "video_config as sent")
	eq(t, asJSON(t, shown.VoiceConfig), any(map[string]any{"voice_asset_id": "zf_xiaoxiao", "speed": 110.0, "pitch": 100.0, "volume": 140.0}), `"" and 0 take the defaults of the default language (CN)`)
	eq(t, asJSON(t, shown.VoiceConfigList), any([]any{map[string]any{"voice_asset_id": "af_heart", "speed": 90.0, "pitch": 100.0, "volume": 140.0, "provider": "HUAWEI_EI", "language": "EN"}}), "voice_config_list with its defaults")
	eq(t, []any{val(t, shown.BillingMode, "billing_mode").Value(), *shown.ReuseResource, *shown.Concurrency, *shown.ClientNums, val(t, shown.DefaultLanguage, "default_language").Value()},
		[]any{"CONCURRENCY", true, int32(1), int32(3), "CN"}, "billing_mode, reuse_resource, concurrency, client_nums, default_language")
	eq(t, asJSON(t, shown.BackgroundConfig), any(map[string]any{"background_type": "COLOR", "background_color_config": "#20304A"}), "background_config")
	eq(t, asJSON(t, shown.LayerConfig), any([]any{map[string]any{"layer_type": "HUMAN", "position": map[string]any{"dx": 0.0, "dy": 0.0, "layer_index": 1.0}, "size": map[string]any{"width": 1080.0, "height": 1920.0}}}), "layer_config")
	eq(t, shown.ReviewConfig.NoNeedReview, ptr(true), "review_config")
	eq(t, asJSON(t, shown.ChatSubtitleConfig), any(map[string]any{"dx": 90.0, "dy": 1500.0, "width": 900.0, "height": 200.0}), "chat_subtitle_config")
	eq(t, []any{val(t, shown.ChatVideoType, "chat_video_type").Value(), *shown.ExitMuteThreshold, *shown.EnableSemanticAction, *shown.IsPoolMode},
		[]any{"MOBILE", int32(10), false, false}, "chat_video_type, exit_mute_threshold, enable_semantic_action, is_pool_mode")
	eq(t, shown.CoverUrl, (*string)(nil), "no cover_url yet")
	isTime(t, shown.CreateTime, "create_time")
	isTime(t, shown.UpdateTime, "update_time")
	eq(t, asJSON(t, shown.ChatResourceConfig), any([]any{map[string]any{"resource_id": "res-1", "count_resource": 2.0, "resource_nums": 2.0,
		"resource_available_nums": 2.0, "resource_source": "PURCHASED", "status": "ACTIVE"}}), "chat_resource_config")
	live.room = roomID
}

func TestLiveARoomWithOnlyItsNameAndModelTakesTheDefaults(t *testing.T) {
	need(t, live.model != "")
	created, err := createRoom(client(), ptr(liveAppUser), &model.CreateSmartChatRoomReq{RoomName: "go bare room", ModelAssetId: ptr(live.model)})
	noErr(t, err, "CreateSmartChatRoom of a bare room")
	live.bareRoom = *created.RoomId
	shown := mustShowRoom(t, live.bareRoom)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowSmartChatRoom of a bare room")
	eq(t, asJSON(t, shown.VideoConfig), any(map[string]any{"width": 1920.0, "height": 1080.0, "bitrate": 4000.0, "codec": "H264"}), "video_config defaults")
	eq(t, []any{val(t, shown.BillingMode, "billing_mode").Value(), *shown.ReuseResource, *shown.Concurrency, val(t, shown.DefaultLanguage, "default_language").Value(), shown.VoiceConfig == nil},
		[]any{"CONCURRENCY", false, int32(0), "CN", true}, "the defaults")
}

func TestLiveRoomRefusals(t *testing.T) {
	need(t, live.model != "")
	user := ptr(liveAppUser)
	noModel := &model.CreateSmartChatRoomReq{RoomName: "no model"}
	unknownModel := liveRoomBody(t, "unknown model", 1)
	unknownModel.ModelAssetId = ptr(unknownID)
	wrongSize := liveRoomBody(t, "720p", 1)
	wrongSize.VideoConfig = &model.VideoConfig{Width: 1280, Height: 720}
	overseas := liveRoomBody(t, "thai", 1)
	overseas.DefaultLanguage = ptr(model.GetCreateSmartChatRoomReqDefaultLanguageEnum().THAI)
	unknownVoice := liveRoomBody(t, "voice", 1)
	unknownVoice.VoiceConfig = &model.VoiceConfig{VoiceAssetId: "no-such-voice"}
	tooMany := liveRoomBody(t, "too many", 1025)
	noName := liveRoomBody(t, "", 1) // the Go SDK always sends room_name: "" is refused by the schema
	for _, refused := range []struct {
		body   *model.CreateSmartChatRoomReq
		status int
		code   string
	}{{noModel, 400, "MSS.00000003"}, {unknownModel, 400, "MSS.00000003"}, {wrongSize, 400, "MSS.00000003"}, {overseas, 400, "MSS.00000003"},
		{unknownVoice, 400, "MSS.00000003"}, {tooMany, 400, "MSS.10000003"}, {noName, 400, "MSS.10000003"}} {
		_, err := createRoom(client(), user, refused.body)
		expectServiceError(t, err, refused.status, refused.code, wire)
	}
	_, err := showRoom(client(), user, unknownID)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
}

func TestLiveAModelWithoutALiveServiceIsRefused(t *testing.T) {
	need(t, live.room != "")
	setSupportedService(t, live.model, "VIDEO_2D")
	defer setSupportedService(t, live.model, "VIDEO_2D", "LIVE_2D")
	_, err := createRoom(client(), ptr(liveAppUser), liveRoomBody(t, "go video only", 1))
	service := expectServiceError(t, err, 400, "MSS.00000003", wire)
	check(t, regexp.MustCompile(`model_asset_id: `).MatchString(service.ErrorMessage), "the message names model_asset_id: %q", service.ErrorMessage)
	// The model is checked again at every Start.
	_, err = startChatJob(client(), ptr(liveAppUser), live.room, liveRobot, nil)
	service = expectServiceError(t, err, 400, "MSS.00000003", wire)
	check(t, regexp.MustCompile(`model_asset_id: `).MatchString(service.ErrorMessage), "Start names model_asset_id: %q", service.ErrorMessage)
	eq(t, mustListChatJobs(t, live.room, nil).Count, ptr(int32(0)), "the refused Start made no job")
}

func TestLiveUpdateReplacesTheRoomAndAnswersItAsShowDoes(t *testing.T) {
	need(t, live.bareRoom != "")
	user := ptr(liveAppUser)
	before := mustShowRoom(t, live.bareRoom)
	body := liveRoomBody(t, "go bare room, renamed", 2)
	body.DefaultLanguage = ptr(model.GetCreateSmartChatRoomReqDefaultLanguageEnum().EN)
	body.VoiceConfig = &model.VoiceConfig{VoiceAssetId: "", Speed: ptr(int32(0)), Pitch: ptr(int32(0)), Volume: ptr(int32(0))}
	body.VideoConfig = &model.VideoConfig{} // bitrate, width and height 0: "not set"
	body.ChatVideoType = ptr(model.GetCreateSmartChatRoomReqChatVideoTypeEnum().COMPUTER)
	updated, err := updateRoom(client(), user, live.bareRoom, body)
	noErr(t, err, "UpdateSmartChatRoom")
	answered(t, updated.HttpStatusCode, updated.XRequestId, updated, "UpdateSmartChatRoom")
	eq(t, []any{updated.RoomName, *updated.Concurrency, val(t, updated.DefaultLanguage, "default_language").Value()}, []any{"go bare room, renamed", int32(2), "EN"}, "room_name, concurrency, default_language")
	eq(t, asJSON(t, updated.VoiceConfig), any(map[string]any{"voice_asset_id": "af_heart", "speed": 100.0, "pitch": 100.0, "volume": 140.0}), "the default voice of EN")
	eq(t, asJSON(t, updated.VideoConfig), any(map[string]any{"width": 1920.0, "height": 1080.0, "bitrate": 4000.0, "codec": "H264"}), "0 is not set: a COMPUTER room is landscape")
	eq(t, updated.CreateTime, before.CreateTime, "create_time kept")
	shown := mustShowRoom(t, live.bareRoom)
	shownJSON, updatedJSON := asJSON(t, shown).(map[string]any), asJSON(t, updated).(map[string]any)
	delete(shownJSON, "X-Request-Id")
	delete(updatedJSON, "X-Request-Id")
	eq(t, shownJSON, updatedJSON, "Update answers the room as Show does")

	replaced, err := updateRoom(client(), user, live.bareRoom, &model.CreateSmartChatRoomReq{RoomName: "go bare room", ModelAssetId: ptr(live.model)})
	noErr(t, err, "UpdateSmartChatRoom with name and model only")
	eq(t, []any{*replaced.Concurrency, val(t, replaced.DefaultLanguage, "default_language").Value(), replaced.VoiceConfig == nil, replaced.ChatVideoType == nil},
		[]any{int32(0), "CN", true, true}, "a field left out takes its default again")
	_, err = updateRoom(client(), user, live.bareRoom, &model.CreateSmartChatRoomReq{RoomName: "x"})
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = updateRoom(client(), user, unknownID, liveRoomBody(t, "x", 1))
	expectServiceError(t, err, 404, "MSS.20070001", wire)
}

func TestLiveListRoomsFiltersPagingAndSums(t *testing.T) {
	need(t, live.room != "" && live.bareRoom != "")
	user := ptr(liveAppUser)
	listed := listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.RoomName, r.Limit = ptr("go "), ptr(int32(100)) })
	answered(t, listed.HttpStatusCode, listed.XRequestId, listed, "ListSmartChatRooms")
	eq(t, listed.Count, ptr(int32(2)), "count")
	eq(t, roomIDs(listed), []string{live.bareRoom, live.room}, "newest first")
	eq(t, []*int32{listed.CountConcurrency, listed.CountClientNums, listed.CountClientNumsToken}, []*int32{ptr(int32(1)), ptr(int32(0)), ptr(int32(0))},
		"count_concurrency, count_client_nums (CONCURRENCY rooms do not count), count_client_nums_token")
	item := (*listed.SmartChatRooms)[1]
	eq(t, asJSON(t, item.ModelInfos), any(map[string]any{"model_asset_id": live.model, "asset_name": "go live presenter"}), "model_infos is one object")
	eq(t, (*item.VoiceConfigList)[0].LanguageDesc, ptr("English"), "language_desc")
	eq(t, []any{*item.RoomName, *item.RobotId, *item.Concurrency, *item.ClientNums, *item.ExitMuteThreshold}, []any{"go lobby", liveRobot, int32(1), int32(3), int32(10)}, "the room's list fields")
	isTime(t, item.CreateTime, "create_time")

	page := listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.RoomName, r.Limit, r.Offset = ptr("go "), ptr(int32(1)), ptr(int32(1)) })
	eq(t, page.Count, ptr(int32(2)), "limit=1 offset=1: count is every match")
	eq(t, roomIDs(page), []string{live.room}, "limit=1 offset=1")
	eq(t, listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.ModelName = ptr("go live pres") }).Count, ptr(int32(2)), "model_name matches part of the model's name")
	eq(t, listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.ModelName = ptr("nobody's model") }).Count, ptr(int32(0)), "model_name")
	eq(t, listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.StartTime = ptr("2000-01-01T00:00:00Z") }).Count, ptr(int32(0)), "rooms without a job are outside every window")
	defaults := listRooms(t, client(), user, nil)
	eq(t, len(*defaults.SmartChatRooms), int(math.Min(10, float64(*defaults.Count))), "default page size 10")
	for _, filters := range []func(*model.ListSmartChatRoomsRequest){
		func(r *model.ListSmartChatRoomsRequest) { r.Limit = ptr(int32(0)) },
		func(r *model.ListSmartChatRoomsRequest) { r.Limit = ptr(int32(101)) },
		func(r *model.ListSmartChatRoomsRequest) { r.Offset = ptr(int32(-1)) },
		func(r *model.ListSmartChatRoomsRequest) { r.StartTime = ptr("yesterday") },
	} {
		request := &model.ListSmartChatRoomsRequest{XAppUserId: user}
		filters(request)
		_, err := client().ListSmartChatRooms(request)
		expectServiceError(t, err, 400, "MSS.00000003", wire)
	}
}

// -------------------------------------------------------------------------------------------------
// Jobs
// -------------------------------------------------------------------------------------------------

func TestLiveStartShowAndListAJob(t *testing.T) {
	need(t, live.room != "")
	started, err := startChatJob(client(), ptr(liveAppUser), live.room, liveRobot, ptr(`{"client_id":"kiosk-7","city":"Shenzhen"}`))
	noErr(t, err, "StartSmartChatJob")
	answered(t, started.HttpStatusCode, started.XRequestId, started, "StartSmartChatJob")
	isHex32(t, started.JobId, "job_id")
	jobID := *started.JobId
	eq(t, val(t, started.Language, "language").Value(), "zh_CN", "language")
	eq(t, val(t, started.DefaultLanguage, "default_language").Value(), "CN", "default_language")
	eq(t, asJSON(t, started.VideoConfig), any(map[string]any{"width": 1080.0, "height": 1920.0}), "video_config: the room's size")
	eq(t, asJSON(t, started.VoiceConfigList), any([]any{
		map[string]any{"voice_asset_id": "zf_xiaoxiao", "speed": 110.0, "pitch": 100.0, "volume": 140.0, "language": "CN", "language_desc": "Chinese"},
		map[string]any{"voice_asset_id": "af_heart", "speed": 90.0, "pitch": 100.0, "volume": 140.0, "language": "EN", "language_desc": "English"},
	}), "the default language's voice first, then the list's other languages")
	eq(t, asJSON(t, started.ChatSubtitleConfig), any(map[string]any{"dx": 90.0, "dy": 1500.0, "width": 900.0, "height": 200.0}), "chat_subtitle_config")
	eq(t, []any{val(t, started.ChatVideoType, "chat_video_type").Value(), *started.IsTransparent}, []any{"MOBILE", false}, "chat_video_type, is_transparent")
	eq(t, []bool{started.RtcRoomInfo == nil, started.ChatAccessAddress == nil, started.ChatAccessRestAddress == nil, started.Region == nil}, []bool{true, true, true, true}, "no media fields yet")

	shown := mustShowChatJob(t, live.room, jobID)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowSmartChatJob")
	eq(t, []any{*shown.JobId, val(t, shown.State, "state").Value(), *shown.ChatState, *shown.ClientId, val(t, shown.Language, "language").Value(), *shown.IsPoolMode},
		[]any{jobID, "WAITING", int32(0), "kiosk-7", "zh_CN", false}, "job_id, state, chat_state, client_id, language, is_pool_mode")
	check(t, val(t, shown.Duration, "duration") >= 0, "duration is seconds: %v", *shown.Duration)
	isTime(t, shown.StartTime, "start_time")
	isTime(t, shown.CreateTime, "create_time")
	isTime(t, shown.LastupdateTime, "lastupdate_time")
	eq(t, []bool{shown.EndTime == nil, shown.JobFinishReason == nil, shown.ErrorInfo == nil}, []bool{true, true, true}, "not ended")
	eq(t, asJSON(t, shown.VoiceConfigList), asJSON(t, started.VoiceConfigList), "Show's voices are Start's")

	listed := mustListChatJobs(t, live.room, nil)
	answered(t, listed.HttpStatusCode, listed.XRequestId, listed, "ListSmartChatJob")
	eq(t, listed.Count, ptr(int32(1)), "count")
	item := (*listed.SmartChatJobs)[0]
	eq(t, []any{*item.JobId, val(t, item.State, "state").Value(), *item.ClientId}, []any{jobID, "WAITING", "kiosk-7"}, "the listed job")
	live.job = jobID
}

func TestLiveTheRoomsConcurrencyRefusesASecondJob(t *testing.T) {
	need(t, live.job != "")
	user := ptr(liveAppUser)
	_, err := startChatJob(client(), user, live.room, liveRobot, nil)
	service := expectServiceError(t, err, 400, "MSS.20010135", wire)
	check(t, regexp.MustCompile(`concurren`).MatchString(service.ErrorMessage), "the message says why: %q", service.ErrorMessage)
	_, err = startChatJob(client(), user, live.bareRoom, liveRobot, nil) // concurrency 0
	expectServiceError(t, err, 400, "MSS.20010135", wire)
	_, err = deleteRoom(client(), user, live.room)
	expectServiceError(t, err, 400, "MSS.20070003", wire)
	_, err = startChatJob(client(), user, live.room, "", nil) // the Go SDK always sends robot_id
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = startChatJob(client(), user, live.room, liveRobot, ptr("not json"))
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = startChatJob(client(), user, unknownID, liveRobot, nil)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	eq(t, mustListChatJobs(t, live.room, nil).Count, ptr(int32(1)), "the refused Starts made no job")
}

func TestLiveStopEndsTheJobAndFreesItsShare(t *testing.T) {
	need(t, live.job != "")
	user := ptr(liveAppUser)
	stopped, err := stopChatJob(client(), user, live.room, live.job)
	noErr(t, err, "StopSmartChatJob")
	answered(t, stopped.HttpStatusCode, stopped.XRequestId, stopped, "StopSmartChatJob")
	shown := mustShowChatJob(t, live.room, live.job)
	answered(t, shown.HttpStatusCode, shown.XRequestId, shown, "ShowSmartChatJob after Stop")
	eq(t, []any{val(t, shown.State, "state").Value(), val(t, shown.JobFinishReason, "job_finish_reason").Value(), shown.ChatState == nil},
		[]any{"SUCCEED", "NORMAL", true}, "SUCCEED, NORMAL, no chat_state once ended")
	isTime(t, shown.EndTime, "end_time")
	again, err := stopChatJob(client(), user, live.room, live.job)
	noErr(t, err, "StopSmartChatJob of an ended job")
	answered(t, again.HttpStatusCode, again.XRequestId, again, "StopSmartChatJob of an ended job")
	eq(t, mustShowChatJob(t, live.room, live.job).LastupdateTime, shown.LastupdateTime, "a second Stop changes nothing")

	second, err := startChatJob(client(), user, live.room, liveRobot, nil)
	noErr(t, err, "StartSmartChatJob after Stop")
	eq(t, chatJobIDs(mustListChatJobs(t, live.room, nil)), []string{*second.JobId, live.job}, "newest first")
	eq(t, chatJobIDs(mustListChatJobs(t, live.room, func(r *model.ListSmartChatJobRequest) { r.State = ptr("SUCCEED") })), []string{live.job}, "state=SUCCEED")
	eq(t, chatJobIDs(mustListChatJobs(t, live.room, func(r *model.ListSmartChatJobRequest) { r.State = ptr("WAITING,PROCESSING") })), []string{*second.JobId}, "state, comma-separated")
	page := mustListChatJobs(t, live.room, func(r *model.ListSmartChatJobRequest) { r.Limit, r.Offset = ptr(int32(1)), ptr(int32(1)) })
	eq(t, page.Count, ptr(int32(2)), "limit=1 offset=1: count is every match")
	eq(t, chatJobIDs(page), []string{live.job}, "limit=1 offset=1")
	sameAsWire(t, page, "ListSmartChatJob of an ended job")
	_, err = listChatJobs(client(), user, live.room, func(r *model.ListSmartChatJobRequest) { r.State = ptr("CREATING,PUBLISHED") })
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = listChatJobs(client(), user, live.room, func(r *model.ListSmartChatJobRequest) { r.Limit = ptr(int32(101)) })
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = stopChatJob(client(), user, live.room, *second.JobId)
	noErr(t, err, "StopSmartChatJob of the second job")
	_, err = showChatJob(client(), user, live.room, unknownID)
	expectServiceError(t, err, 404, "MSS.20070002", wire)
	_, err = stopChatJob(client(), user, live.room, unknownID)
	expectServiceError(t, err, 404, "MSS.20070002", wire)
	_, err = listChatJobs(client(), user, unknownID, nil)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	eq(t, listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) {
		r.RoomName, r.StartTime = ptr("go lobby"), ptr("2000-01-01T00:00:00Z")
	}).Count, ptr(int32(1)), "a room whose latest job started in the window")
}

// -------------------------------------------------------------------------------------------------
// Dialog URLs and one-time codes
// -------------------------------------------------------------------------------------------------

func TestLiveCreateDialogUrl(t *testing.T) {
	need(t, live.room != "")
	user := ptr(liveAppUser)
	made, err := dialogURL(client(), user, live.room, liveRobot)
	noErr(t, err, "CreateDialogUrl")
	answered(t, made.HttpStatusCode, made.XRequestId, made, "CreateDialogUrl")
	parsed, err := url.Parse(val(t, made.Url, "url"))
	noErr(t, err, "the url parses")
	eq(t, parsed.Scheme+"://"+parsed.Host+parsed.Path, env().baseURL+"/console/talk", "the console's dialog page")
	query := parsed.Query()
	keys := []string{}
	for key := range query {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	eq(t, keys, []string{"expires", "project_id", "robot_id", "room_id", "session", "signature"}, "its parameters")
	eq(t, []string{query.Get("project_id"), query.Get("room_id"), query.Get("robot_id")}, []string{env().projectID, live.room, liveRobot}, "project, room and robot")
	expires, err := strconv.ParseInt(query.Get("expires"), 10, 64)
	noErr(t, err, "expires is a number")
	check(t, math.Abs(float64(expires-time.Now().Add(15*time.Minute).Unix())) < 120, "expires in 15 minutes: %d", expires)
	again, err := dialogURL(client(), user, live.room, liveRobot)
	noErr(t, err, "CreateDialogUrl again")
	check(t, *again.Url != *made.Url, "a new session each time")
	_, err = dialogURL(client(), user, unknownID, liveRobot)
	expectServiceError(t, err, 400, "MSS.00000003", wire)
	_, err = dialogURL(client(), user, live.room, "") // the Go SDK always sends robot_id: "" is refused by the schema
	expectServiceError(t, err, 400, "MSS.10000003", wire)
}

func TestLiveCreateOnceCode(t *testing.T) {
	first, err := client().CreateOnceCode(&model.CreateOnceCodeRequest{XAppUserId: ptr(liveAppUser)})
	noErr(t, err, "CreateOnceCode")
	answered(t, first.HttpStatusCode, first.XRequestId, first, "CreateOnceCode")
	check(t, onceCodePattern.MatchString(val(t, first.OnceCode, "once_code")), "once_code is 32 Base64url characters: %q", *first.OnceCode)
	second, err := client().CreateOnceCode(&model.CreateOnceCodeRequest{XAppUserId: ptr(liveAppUser)})
	noErr(t, err, "CreateOnceCode again")
	check(t, *second.OnceCode != *first.OnceCode, "a new code each time")
}

// -------------------------------------------------------------------------------------------------
// Isolation, then Delete
// -------------------------------------------------------------------------------------------------

func TestLiveAnotherProjectAndAppUserCannotSeeTheRoom(t *testing.T) {
	need(t, live.job != "")
	bob := ptr(liveBob)
	_, err := showRoom(client(), bob, live.room)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	_, err = startChatJob(client(), bob, live.room, liveRobot, nil)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	_, err = deleteRoom(client(), bob, live.room)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	eq(t, listRooms(t, client(), bob, nil).Count, ptr(int32(0)), "bob lists no rooms")
	project, err := showRoom(client(), nil, live.room)
	noErr(t, err, "ShowSmartChatRoom without X-App-UserId")
	eq(t, project.RoomId, ptr(live.room), "without X-App-UserId the whole project is seen")

	other, otherWire := otherProjectClient()
	_, err = showRoom(other, nil, live.room)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = updateRoom(other, nil, live.room, liveRoomBody(t, "taken over", 1))
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = deleteRoom(other, nil, live.room)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = startChatJob(other, nil, live.room, liveRobot, nil)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = showChatJob(other, nil, live.room, live.job)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = listChatJobs(other, nil, live.room, nil)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = stopChatJob(other, nil, live.room, live.job)
	expectServiceError(t, err, 404, "MSS.20070001", otherWire)
	_, err = dialogURL(other, nil, live.room, liveRobot)
	expectServiceError(t, err, 400, "MSS.00000003", otherWire)
	_, err = createRoom(other, nil, liveRoomBody(t, "with another project's model", 1))
	expectServiceError(t, err, 400, "MSS.00000003", otherWire)
	eq(t, listRooms(t, other, nil, func(r *model.ListSmartChatRoomsRequest) { r.Limit = ptr(int32(100)) }).Count, ptr(int32(0)), "another project lists no rooms")
	eq(t, mustShowRoom(t, live.room).RoomName, "go lobby", "the refused calls changed nothing")
}

func TestLiveDeleteARoom(t *testing.T) {
	need(t, live.room != "" && live.bareRoom != "")
	user := ptr(liveAppUser)
	for _, roomID := range []string{live.room, live.bareRoom} {
		deleted, err := deleteRoom(client(), user, roomID)
		noErr(t, err, "DeleteSmartChatRoom")
		answered(t, deleted.HttpStatusCode, deleted.XRequestId, deleted, "DeleteSmartChatRoom")
		_, err = showRoom(client(), user, roomID)
		expectServiceError(t, err, 404, "MSS.20070001", wire)
		_, err = deleteRoom(client(), user, roomID)
		expectServiceError(t, err, 404, "MSS.20070001", wire)
	}
	_, err := showChatJob(client(), user, live.room, live.job)
	expectServiceError(t, err, 404, "MSS.20070001", wire)
	eq(t, listRooms(t, client(), user, func(r *model.ListSmartChatRoomsRequest) { r.RoomName = ptr("go ") }).Count, ptr(int32(0)), "both rooms are gone")
}
